/* numfmt: see numfmt.h. */
#include "numfmt.h"

#include "buf.h"

#include <stdio.h>

void numfmt_count(struct buf *out, long long n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%lld", n), lead;
	const char *p = digits;

	if (*p == '-') {
		buf_putc(out, '-');
		p++;
		len--;
	}
	if (len <= 4) {
		buf_add(out, p, (size_t)len);
		return;
	}
	lead = len % 3 ? len % 3 : 3;
	for (int i = 0; i < len; i++) {
		if (i && (i - lead) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, p[i]);
	}
}
