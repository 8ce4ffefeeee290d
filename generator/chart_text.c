/*
 * chart_text: escaping and width estimates of chart text (chart_text.h).
 */
#include "chart_text.h"

#include <math.h>
#include <string.h>

#define ELLIPSIS "…"

static const struct chart_words words_zh = {
	"无数据", "其他", "：", "，", "（", "）", "", "类别", "数量", "占比", "合计",
};
static const struct chart_words words_en = {
	"No data", "Other", ": ", ", ", " (", ")", " ", "Category", "Count",
	"Share", "Total",
};

const struct chart_words *chart_words_for(const char *language)
{
	return language && !strncmp(language, "en", 2) ? &words_en : &words_zh;
}

/* A coordinate with at most two decimals and no trailing zeros. Built from
 * integers because printf's %f follows LC_NUMERIC. */
void chart_put_num(struct buf *out, double v)
{
	long long c = llround(v * 100.0);
	int frac;

	if (c < 0) {
		buf_putc(out, '-');
		c = -c;
	}
	buf_printf(out, "%lld", c / 100);
	frac = (int)(c % 100);
	if (frac % 10)
		buf_printf(out, ".%02d", frac);
	else if (frac)
		buf_printf(out, ".%d", frac / 10);
}

/* Decode one UTF-8 sequence; invalid, overlong and surrogate sequences give
 * U+FFFD for one byte. Returns the number of bytes used. */
static size_t utf8_next(const char *str, size_t len, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	unsigned c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2; c &= 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3; c &= 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4; c &= 0x07; min = 0x10000;
	} else {
		goto invalid;
	}
	if (len < n)
		goto invalid;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto invalid;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto invalid;
	*cp = c;
	return n;
invalid:
	*cp = 0xfffd;
	return 1;
}

/* Append text escaped for XML content and attribute values (also good for
 * HTML). Characters XML 1.0 forbids are dropped; line breaks become spaces. */
void chart_put_text_n(struct buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = utf8_next(s + i, len - i, &cp);
		switch (cp) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		case '\t': case '\n': case '\r': buf_putc(out, ' '); break;
		case 0xfffd: case 0xfffe: case 0xffff:
			buf_puts(out, "\xef\xbf\xbd"); /* U+FFFD */
			break;
		default:
			if (cp >= 0x20 && cp != 0x7f)
				buf_add(out, s + i, n);
			break;
		}
		i += n;
	}
}

void chart_put_text(struct buf *out, const char *s)
{
	chart_put_text_n(out, s, strlen(s));
}

/* Estimated advance of one character, in em. */
static double char_em(unsigned cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || cp == 0x2026 ||
	    (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ||
	    cp >= 0x20000)
		return 1.0;
	return 0.6;
}

static double text_width_n(const char *s, size_t len, double size)
{
	double em = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		i += utf8_next(s + i, len - i, &cp);
		em += char_em(cp);
	}
	return em * size;
}

double chart_text_width(const char *s, double size)
{
	return text_width_n(s, strlen(s), size);
}

/* Bytes of the longest prefix of s no wider than maxw. */
static size_t fit_prefix(const char *s, size_t len, double maxw, double size)
{
	double w = 0;
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		size_t n = utf8_next(s + i, len - i, &cp);
		w += char_em(cp) * size;
		if (w > maxw + 1e-9)
			break;
		i += n;
	}
	return i;
}

/* Append s, shortened with "…" when wider than maxw. */
void chart_put_fitted(struct buf *out, const char *s, double maxw, double size)
{
	size_t len = strlen(s);

	if (text_width_n(s, len, size) <= maxw) {
		chart_put_text_n(out, s, len);
		return;
	}
	if (maxw < size)
		return;
	chart_put_text_n(out, s, fit_prefix(s, len, maxw - size, size));
	buf_puts(out, ELLIPSIS);
}

static int is_word_byte(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/*
 * Split s into at most two lines no wider than maxw: line one is
 * s[0..*cut), line two s[*rest..len). Breaks anywhere, as Chinese does,
 * except inside a Latin word when an earlier space allows. Returns the
 * number of lines, or 3 when two are not enough.
 */
int chart_wrap2(const char *s, double maxw, double size, size_t *cut, size_t *rest)
{
	size_t len = strlen(s), c;

	*cut = *rest = len;
	if (text_width_n(s, len, size) <= maxw)
		return 1;
	c = fit_prefix(s, len, maxw, size);
	if (c == 0)
		return 3;
	if (is_word_byte(s[c - 1]) && is_word_byte(s[c])) {
		size_t sp = c;
		while (sp > 0 && s[sp - 1] != ' ')
			sp--;
		if (sp > 0)
			c = sp;
	}
	*cut = c;
	while (c < len && s[c] == ' ')
		c++;
	*rest = c;
	while (*cut > 0 && s[*cut - 1] == ' ')
		(*cut)--;
	return text_width_n(s + c, len - c, size) <= maxw ? 2 : 3;
}
