/*
 * pagination: see pagination.h.
 */
#include "pagination.h"

size_t pagination_window(size_t current, size_t total, size_t radius,
			 size_t *out)
{
	size_t n = 0, lo, hi;

	if (!total)
		return 0;
	if (current < 1)
		current = 1;
	if (current > total)
		current = total;
	lo = current > radius + 1 ? current - radius : 1;
	hi = current + radius < total ? current + radius : total;
	/* A gap of one page shows the page: "…" would be no shorter. */
	if (lo <= 3)
		lo = 1;
	if (hi + 2 >= total)
		hi = total;
	if (lo > 1) {
		out[n++] = 1;
		out[n++] = 0;
	}
	for (size_t p = lo; p <= hi; p++)
		out[n++] = p;
	if (hi < total) {
		out[n++] = 0;
		out[n++] = total;
	}
	return n;
}
