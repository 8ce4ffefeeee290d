/*
 * pagination: which page numbers a list's pagination shows. A collection
 * of 10,000 records has hundreds of list pages; listing them all made a
 * block 1,316 px tall on a phone. The window keeps the first and the last
 * page, the current one and `radius` neighbours on each side, and marks
 * each gap with an ellipsis (a 0 in the output) unless the gap is a single
 * page, which is then shown instead: "1 … 4 5 [6] 7 8 … 156".
 * Pure; no allocation.
 */
#ifndef SHOWCASE_PAGINATION_H
#define SHOWCASE_PAGINATION_H

#include <stddef.h>

/* Most entries pagination_window() writes for any radius <= r. */
#define PAGINATION_MAX(r) (2 * (size_t)(r) + 5)

/*
 * Write to out[] the 1-based page numbers to show for page `current` of
 * `total` (1 <= current <= total), 0 standing for an ellipsis; out must
 * hold PAGINATION_MAX(radius) entries. Returns how many were written.
 */
size_t pagination_window(size_t current, size_t total, size_t radius,
			 size_t *out);

#endif
