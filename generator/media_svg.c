/*
 * media_svg: may an SVG file be published? (part of the media module; see
 * media_svg_check() in media.h for the rules).
 *
 * An SVG opened from the site's own origin is a document like a page: a
 * script in it, an onload attribute, a foreignObject holding HTML or a
 * style sheet loading another site's files all run or load with the site's
 * address. Such files are refused; a clean drawing is published as is.
 *
 * The check is a scanner over the XML, written to fail closed: it reads
 * comments, CDATA sections, the DOCTYPE, processing instructions, start and
 * end tags with their attributes, and text, decodes character references
 * in attribute values and text (so that "&#106;avascript:" is seen as
 * "javascript:"), and refuses whatever it cannot read in that grammar. It
 * needs to agree with a browser's XML parser only on what it accepts, and
 * since XML is strict at the level of tags and quotes, it does.
 *
 * Why not libxml2 (which librsvg uses): a parser gives the same tokens, but
 * the rules (which elements, attributes and style sheet constructs load or
 * run something) would still be ours, on top of a tree we would have to
 * walk; and libxml2 substitutes entities and reads DTDs unless each option
 * is right, where this scanner refuses entity declarations outright. It
 * is not among our direct dependencies either. The scanner is pure and
 * linear in the file, so unit tests and the fuzzer reach it.
 */
#include "media.h"

#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SVG_SUFFIX "; SVG with scripts, event attributes, foreignObject " \
		   "or references outside the file is not published"

struct svg_scan {
	const char *p;
	size_t n;
	struct buf val;  /* a decoded attribute value or text */
	struct buf css;  /* the text of the open <style> element */
	int style;       /* open <style> elements */
	unsigned depth;  /* open elements */
	size_t style_at; /* where the outermost one starts */
	int root_seen;
	struct buf *why;
};

static unsigned line_at(const struct svg_scan *s, size_t pos)
{
	unsigned line = 1;
	for (size_t i = 0; i < pos && i < s->n; i++)
		line += s->p[i] == '\n';
	return line;
}

/* Append `len` bytes of `t` for a message: at most 60 bytes (cut at a
 * character boundary, "..." added), control characters as '?'. */
static void add_excerpt(struct buf *b, const char *t, size_t len)
{
	size_t max = len > 60 ? 60 : len;
	while (max < len && max && ((unsigned char)t[max] & 0xC0) == 0x80)
		max--;
	for (size_t i = 0; i < max; i++)
		buf_putc(b, (unsigned char)t[i] < 0x20 || t[i] == 0x7f ? '?' : t[i]);
	if (max < len)
		buf_puts(b, "...");
}

/* How much of a name of `len` bytes a message shows: 60 bytes at most,
 * cut at a character boundary. */
static int shown(const char *name, size_t len)
{
	if (len <= 60)
		return (int)len;
	len = 60;
	while (len && ((unsigned char)name[len] & 0xC0) == 0x80)
		len--;
	return (int)len;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int refuse(struct svg_scan *s, size_t pos, const char *fmt, ...)
{
	va_list ap;
	buf_puts(s->why, "holds ");
	va_start(ap, fmt);
	buf_vprintf(s->why, fmt, ap);
	va_end(ap);
	buf_printf(s->why, " (line %u)" SVG_SUFFIX, line_at(s, pos));
	return -1;
}

/* Refuse a file the scanner cannot read as XML. */
static int malformed(struct svg_scan *s, size_t pos, const char *what)
{
	buf_printf(s->why, "is not an SVG file showcase can read (line %u: %s); "
		   "save it again as plain SVG", line_at(s, pos), what);
	return -1;
}

/* ---- characters ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == ':' || c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid:
 * overlong forms, surrogates, code points over U+10FFFF and NUL. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0], cp;
	size_t len;

	if (c && c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return len;
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		buf_putc(b, (int)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (int)(0xC0 | cp >> 6));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_putc(b, (int)(0xE0 | cp >> 12));
		buf_putc(b, (int)(0x80 | (cp >> 6 & 0x3F)));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	} else {
		buf_putc(b, (int)(0xF0 | cp >> 18));
		buf_putc(b, (int)(0x80 | (cp >> 12 & 0x3F)));
		buf_putc(b, (int)(0x80 | (cp >> 6 & 0x3F)));
		buf_putc(b, (int)(0x80 | (cp & 0x3F)));
	}
}

/*
 * Decode p[from..to) into s->val as an XML parser would: the five
 * predefined entities and numeric character references. Any other entity
 * (which only a DTD could define) is refused.
 */
static int decode(struct svg_scan *s, size_t from, size_t to)
{
	static const struct { const char *name; char c; } ents[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' },
		{ "quot", '"' }, { "apos", '\'' },
	};
	buf_reset(&s->val);
	for (size_t i = from; i < to; i++) {
		if (s->p[i] != '&') {
			buf_putc(&s->val, s->p[i]);
			continue;
		}
		const char *semi = memchr(s->p + i, ';', to - i);
		if (!semi)
			return malformed(s, i, "an '&' that starts no reference");
		size_t len = (size_t)(semi - (s->p + i)) - 1; /* between & and ; */
		const char *r = s->p + i + 1;
		size_t k;
		if (len >= 2 && r[0] == '#') {
			unsigned long cp = 0;
			int hex = r[1] == 'x';
			size_t d = hex ? 2 : 1;
			if (d >= len)
				return malformed(s, i, "an empty character reference");
			for (; d < len; d++) {
				int v;
				char c = r[d];
				if (c >= '0' && c <= '9')
					v = c - '0';
				else if (hex && c >= 'a' && c <= 'f')
					v = c - 'a' + 10;
				else if (hex && c >= 'A' && c <= 'F')
					v = c - 'A' + 10;
				else
					return malformed(s, i, "a bad character reference");
				cp = cp * (hex ? 16 : 10) + (unsigned long)v;
				if (cp > 0x10FFFF)
					return malformed(s, i, "a character reference out of range");
			}
			if (!cp || (cp >= 0xD800 && cp <= 0xDFFF))
				return malformed(s, i, "a character reference to no character");
			put_utf8(&s->val, cp);
			i += len + 1;
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(*ents); k++)
			if (strlen(ents[k].name) == len && !memcmp(r, ents[k].name, len))
				break;
		if (k == sizeof(ents) / sizeof(*ents))
			return malformed(s, i, "an entity reference other than "
					 "&lt; &gt; &amp; &quot; &apos;");
		buf_putc(&s->val, ents[k].c);
		i += len + 1;
	}
	return 0;
}

/* The part of a qualified name after its prefix. */
static const char *local_name(const char *name, size_t len, size_t *llen)
{
	const char *colon = memrchr(name, ':', len);
	if (!colon) {
		*llen = len;
		return name;
	}
	*llen = len - (size_t)(colon + 1 - name);
	return colon + 1;
}

static int name_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && !strncasecmp(name, want, len);
}

/* Find `needle` (lowercase) in the first n bytes of h, ignoring case. */
static const char *find_ci(const char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (!strncasecmp(h + i, needle, k))
			return h + i;
	return NULL;
}

/* ---- style sheets ---- */

/* Check decoded CSS (of a <style> element, a style attribute or a
 * presentation attribute) found at `pos`. */
static int check_css(struct svg_scan *s, const struct buf *css, size_t pos)
{
	const char *c = css->ptr, *end = c + css->len, *u;

	if (memchr(c, '\\', css->len))
		return refuse(s, pos, "a backslash escape in a style");
	if (find_ci(c, css->len, "@import"))
		return refuse(s, pos, "an @import in a style");
	if (find_ci(c, css->len, "image-set("))
		return refuse(s, pos, "an image-set() in a style");
	for (u = c; (u = find_ci(u, (size_t)(end - u), "url(")); u += 4) {
		const char *t = u + 4;
		while (t < end && is_space(*t))
			t++;
		if (t < end && (*t == '"' || *t == '\''))
			t++;
		if (t >= end || *t != '#') {
			const char *close = memchr(u, ')', (size_t)(end - u));
			struct buf e = BUF_INIT;
			add_excerpt(&e, u, close ? (size_t)(close - u) + 1
						 : (size_t)(end - u));
			refuse(s, pos, "a reference outside the file, '%s', in a style",
			       e.ptr);
			buf_release(&e);
			return -1;
		}
	}
	return 0;
}

/* ---- markup ---- */

static const char *const bad_elements[] = {
	"script", "foreignObject", "handler", "listener", "iframe", "frame",
	"frameset", "embed", "object", "applet", "audio", "video", "link",
	"meta", "base", NULL,
};

static int check_element(struct svg_scan *s, size_t pos, const char *name,
			 size_t len)
{
	size_t llen;
	const char *local = local_name(name, len, &llen);

	for (size_t k = 0; bad_elements[k]; k++)
		if (name_is(local, llen, bad_elements[k]))
			return refuse(s, pos, "a <%.*s> element", shown(name, len),
				      name);
	if (!s->root_seen && !name_is(local, llen, "svg")) {
		buf_printf(s->why, "is not an SVG document (its root element is "
			   "<%.*s>, not <svg>)", shown(name, len), name);
		return -1;
	}
	s->root_seen = 1;
	return 0;
}

static int is_local_ref(const struct buf *v)
{
	size_t i = 0;
	while (i < v->len && is_space(v->ptr[i]))
		i++;
	return i == v->len || v->ptr[i] == '#';
}

/* Check one attribute; its decoded value is in s->val. */
static int check_attribute(struct svg_scan *s, size_t pos, const char *name,
			   size_t len)
{
	size_t llen, plen;
	const char *local = local_name(name, len, &llen);
	struct buf e = BUF_INIT;
	int ret = 0;

	plen = local == name ? 0 : (size_t)(local - name) - 1;
	if (name_is(name, len, "xmlns") || (plen && name_is(name, plen, "xmlns"))) {
		if (!strcasecmp(s->val.ptr, "http://www.w3.org/1999/xhtml") ||
		    !strcasecmp(s->val.ptr, "http://www.w3.org/1998/Math/MathML"))
			return refuse(s, pos, "the namespace '%s', which turns "
				      "elements into HTML", s->val.ptr);
		return 0;
	}
	if (llen >= 2 && !strncasecmp(local, "on", 2))
		return refuse(s, pos, "an event attribute '%.*s'",
			      shown(name, len), name);
	if (plen && name_is(name, plen, "xml") && name_is(local, llen, "base"))
		return refuse(s, pos, "an xml:base attribute");
	if ((name_is(local, llen, "href") || name_is(local, llen, "src")) &&
	    !is_local_ref(&s->val)) {
		add_excerpt(&e, s->val.ptr, s->val.len);
		ret = refuse(s, pos, "a reference outside the file, %.*s=\"%s\"",
			     shown(name, len), name, e.ptr);
		buf_release(&e);
		return ret;
	}
	if (name_is(local, llen, "attributeName")) {
		size_t vlen, llen2;
		const char *v = s->val.ptr, *vl;
		while (is_space(*v))
			v++;
		vlen = strlen(v);
		while (vlen && is_space(v[vlen - 1]))
			vlen--;
		vl = local_name(v, vlen, &llen2);
		if (name_is(vl, llen2, "href") || name_is(vl, llen2, "src") ||
		    (llen2 >= 2 && !strncasecmp(vl, "on", 2)))
			return refuse(s, pos, "an animation of '%.*s'",
				      shown(v, vlen), v);
	}
	/* Unprefixed attributes include style and the presentation
	 * attributes (fill, filter, mask...), which are CSS values. */
	if (!plen)
		return check_css(s, &s->val, pos);
	return 0;
}

/*
 * The style sheet of a <style> element is its text: every text and CDATA
 * piece inside it, joined (comments and child elements split nothing, so
 * "@imp<!-- -->ort" is an @import). Checked when the element closes.
 */
static int check_style(struct svg_scan *s)
{
	int ret = check_css(s, &s->css, s->style_at);
	buf_reset(&s->css);
	return ret;
}

/* A start tag at s->p[*i] == '<'. */
static int scan_start_tag(struct svg_scan *s, size_t *i)
{
	const char *p = s->p;
	size_t pos = *i, j = *i + 1, name_at = j;

	if (j >= s->n || !is_name_start((unsigned char)p[j]))
		return malformed(s, pos, "a '<' that starts no tag");
	while (j < s->n && is_name_char((unsigned char)p[j]))
		j++;
	const char *name = p + name_at;
	size_t len = j - name_at, llen;
	const char *local = local_name(name, len, &llen);
	if (check_element(s, pos, name, len) < 0)
		return -1;
	for (;;) {
		while (j < s->n && is_space(p[j]))
			j++;
		if (j >= s->n)
			return malformed(s, pos, "a tag that does not end");
		if (p[j] == '>' || (p[j] == '/' && j + 1 < s->n && p[j + 1] == '>')) {
			if (p[j] == '>' && ++s->depth > MEDIA_SVG_MAX_DEPTH) {
				buf_printf(s->why, "is an SVG file whose elements "
					   "are nested deeper than %d levels (line %u)",
					   MEDIA_SVG_MAX_DEPTH, line_at(s, pos));
				return -1;
			}
			if (p[j] == '>' && name_is(local, llen, "style") &&
			    !s->style++)
				s->style_at = pos;
			*i = j + (p[j] == '>' ? 1 : 2);
			return 0;
		}
		if (!is_name_start((unsigned char)p[j]))
			return malformed(s, j, "a bad attribute name");
		size_t an = j;
		while (j < s->n && is_name_char((unsigned char)p[j]))
			j++;
		size_t alen = j - an;
		while (j < s->n && is_space(p[j]))
			j++;
		if (j >= s->n || p[j] != '=')
			return malformed(s, j, "an attribute without a value");
		j++;
		while (j < s->n && is_space(p[j]))
			j++;
		if (j >= s->n || (p[j] != '"' && p[j] != '\''))
			return malformed(s, j, "an attribute value without quotes");
		char q = p[j++];
		size_t vstart = j;
		while (j < s->n && p[j] != q) {
			if (p[j] == '<')
				return malformed(s, j, "a '<' in an attribute value");
			j++;
		}
		if (j >= s->n)
			return malformed(s, vstart, "an attribute value that does not end");
		if (decode(s, vstart, j) < 0 ||
		    check_attribute(s, an, p + an, alen) < 0)
			return -1;
		j++;
	}
}

/* An end tag at s->p[*i], "</". */
static int scan_end_tag(struct svg_scan *s, size_t *i)
{
	size_t j = *i + 2, name_at = j, llen;

	while (j < s->n && is_name_char((unsigned char)s->p[j]))
		j++;
	const char *local = local_name(s->p + name_at, j - name_at, &llen);
	while (j < s->n && is_space(s->p[j]))
		j++;
	if (j == name_at || j >= s->n || s->p[j] != '>')
		return malformed(s, *i, "a bad end tag");
	*i = j + 1;
	if (s->depth)
		s->depth--;
	if (s->style && name_is(local, llen, "style") && !--s->style)
		return check_style(s);
	return 0;
}

/* "<!DOCTYPE ...>": allowed without an internal subset, whose entity
 * declarations could spell anything (and define billion-laughs bombs). */
static int scan_doctype(struct svg_scan *s, size_t *i)
{
	char q = 0;
	for (size_t j = *i + 9; j < s->n; j++) {
		char c = s->p[j];
		if (q) {
			if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == '[') {
			return refuse(s, *i, "a DOCTYPE that declares entities");
		} else if (c == '>') {
			*i = j + 1;
			return 0;
		}
	}
	return malformed(s, *i, "a DOCTYPE that does not end");
}

/* "<?target ...?>": only the XML declaration, in UTF-8. */
static int scan_pi(struct svg_scan *s, size_t *i)
{
	const char *p = s->p + *i + 2;
	const char *end = memmem(p, s->n - *i - 2, "?>", 2);
	size_t len = 0;

	if (!end)
		return malformed(s, *i, "a processing instruction that does not end");
	while (p + len < end && is_name_char((unsigned char)p[len]))
		len++;
	if (len != 3 || memcmp(p, "xml", 3))
		return refuse(s, *i, "a processing instruction '<?%.*s' (an "
			      "xml-stylesheet loads another file)",
			      shown(p, len), p);
	const char *enc = memmem(p, (size_t)(end - p), "encoding", 8);
	if (enc) {
		const char *v = enc + 8;
		while (v < end && (is_space(*v) || *v == '='))
			v++;
		if (v < end && (*v == '"' || *v == '\''))
			v++;
		if (end - v < 5 || (strncasecmp(v, "utf-8", 5) &&
				    strncasecmp(v, "utf8", 4))) {
			buf_puts(s->why, "is an SVG file in an encoding other "
				 "than UTF-8; save it again as UTF-8");
			return -1;
		}
	}
	*i = (size_t)(end - s->p) + 2;
	return 0;
}

static int scan(struct svg_scan *s)
{
	const char *p = s->p;
	size_t i = 0;

	for (size_t k = 0; k < s->n;) {
		size_t len = utf8_len((const unsigned char *)p + k, s->n - k);
		if (!len) {
			buf_puts(s->why, "is not an SVG file in UTF-8 (it holds "
				 "bytes that are not UTF-8 text); save it again "
				 "as UTF-8");
			return -1;
		}
		k += len;
	}
	if (s->n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < s->n) {
		const char *rest = p + i;
		size_t left = s->n - i;
		if (*rest != '<') {
			const char *lt = memchr(rest, '<', left);
			size_t to = lt ? (size_t)(lt - p) : s->n;
			if (decode(s, i, to) < 0)
				return -1;
			if (s->style)
				buf_add(&s->css, s->val.ptr, s->val.len);
			i = to;
		} else if (left >= 4 && !memcmp(rest, "<!--", 4)) {
			const char *e = memmem(rest + 4, left - 4, "-->", 3);
			if (!e)
				return malformed(s, i, "a comment that does not end");
			i = (size_t)(e - p) + 3;
		} else if (left >= 9 && !memcmp(rest, "<![CDATA[", 9)) {
			const char *e = memmem(rest + 9, left - 9, "]]>", 3);
			if (!e)
				return malformed(s, i, "a CDATA section that does not end");
			if (s->style)
				buf_add(&s->css, rest + 9, (size_t)(e - rest) - 9);
			i = (size_t)(e - p) + 3;
		} else if (left >= 9 && !memcmp(rest, "<!DOCTYPE", 9)) {
			if (scan_doctype(s, &i) < 0)
				return -1;
		} else if (left >= 2 && rest[1] == '!') {
			return malformed(s, i, "an unknown declaration '<!'");
		} else if (left >= 2 && rest[1] == '?') {
			if (scan_pi(s, &i) < 0)
				return -1;
		} else if (left >= 2 && rest[1] == '/') {
			if (scan_end_tag(s, &i) < 0)
				return -1;
		} else if (scan_start_tag(s, &i) < 0) {
			return -1;
		}
	}
	if (!s->root_seen) {
		buf_puts(s->why, "is not an SVG document (it has no <svg> element)");
		return -1;
	}
	/* An unclosed <style> is an XML error, but check it all the same. */
	return s->style ? check_style(s) : 0;
}

int media_svg_check(const char *p, size_t n, struct buf *why)
{
	struct svg_scan s;
	int ret;

	memset(&s, 0, sizeof(s));
	s.p = p;
	s.n = n;
	s.why = why;
	buf_init(&s.val, 0);
	buf_init(&s.css, 0);
	ret = scan(&s);
	buf_release(&s.val);
	buf_release(&s.css);
	return ret;
}
