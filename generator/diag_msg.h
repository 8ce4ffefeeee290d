/*
 * diag_msg: diagnostics that staff meet every day, by message id, in
 * English and in Chinese.
 *
 * The people who commit records are publicity staff of county education
 * bureaus; a hook that answers in English only is a hook they learn to
 * bypass. The messages they cause most often (a value not in the list, a
 * required field left out, a wrong type, an impossible date, a reference to
 * a record that does not exist) are reported through this table instead of
 * a format string at the call site. Each entry holds the English text,
 * byte for byte what it was before, and its Chinese translation, both
 * printf formats over the same string arguments with positional
 * conversions (%1$s ...), so that a translation can reorder them, and drop
 * one with %N$.0s. Every format of an entry uses every argument (a gap in
 * positional arguments is undefined behaviour); test_diag_msg checks it.
 *
 * The Chinese text is printed, after the English, only when d->localize is
 * set (`showcase check` for a site in zh-CN): `build` output stays as it
 * was. Adding a language means adding a column; adding a message means
 * adding an id, a row, and a call of diag_msg().
 */
#ifndef SHOWCASE_DIAG_MSG_H
#define SHOWCASE_DIAG_MSG_H

#include "diag.h"

#include <stdarg.h>

enum diag_msg_id {
	/* prefix, name, expected (English), value as quoted, label,
	 * expected (Chinese, diag_msg_expects_zh) */
	DIAG_MSG_WRONG_TYPE,
	/* prefix, name, value as quoted, label */
	DIAG_MSG_BAD_DATE,
	/* value as quoted, prefix, name, choices, label, value unquoted */
	DIAG_MSG_ENUM,
	/* prefix, name, label */
	DIAG_MSG_REQUIRED,
	DIAG_MSG_REQUIRED_LABEL,
	DIAG_MSG_REQUIRED_EMPTY,
	/* field, slug, collection, folder, slug, collection label */
	DIAG_MSG_REFERENCE,
	DIAG_MSG_COUNT
};

/* The key of `id` ("schema.enum"...), for documentation and tests. */
const char *diag_msg_key(enum diag_msg_id id);

/* The English and Chinese formats of `id`. */
const char *diag_msg_format(enum diag_msg_id id, int chinese);

/* How many arguments the formats of `id` take. */
int diag_msg_nargs(enum diag_msg_id id);

/* Report a content error by id; the variable arguments are
 * diag_msg_nargs(id) strings (const char *). */
void diag_msg(struct diag *d, const char *path, unsigned line, unsigned col,
	      enum diag_msg_id id, ...);
void diag_vmsg(struct diag *d, const char *path, unsigned line, unsigned col,
	       enum diag_msg_id id, va_list ap);

/* What a field of type `type_name` (schema_type_name()) expects, in
 * Chinese, for DIAG_MSG_WRONG_TYPE. */
const char *diag_msg_expects_zh(const char *type_name);

#endif
