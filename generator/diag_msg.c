/*
 * diag_msg: see diag_msg.h. The table below is the one place where the
 * wording of these messages lives.
 */
#include "diag_msg.h"

#include "buf.h"

#include <string.h>

struct msg {
	const char *key;
	int nargs;
	const char *en, *zh;
};

static const struct msg messages[DIAG_MSG_COUNT] = {
	[DIAG_MSG_WRONG_TYPE] = { "schema.wrong_type", 6,
		"field '%1$s%2$s' expects %3$s, got %4$s%5$.0s%6$.0s",
		"“%5$s”（%1$s%2$s）应填写%6$s，而不是 %4$s%3$.0s" },
	[DIAG_MSG_BAD_DATE] = { "schema.bad_date", 4,
		"field '%1$s%2$s' has an impossible date %3$s%4$.0s",
		"“%4$s”（%1$s%2$s）的日期 %3$s 不存在，请按 年-月-日（如 2024-05-08）填写" },
	[DIAG_MSG_ENUM] = { "schema.enum", 6,
		"%1$s is not a valid value for '%2$s%3$s' (expected one of: %4$s)"
		"%5$.0s%6$.0s",
		"未知的%5$s \"%6$s\"，可选: %4$s%1$.0s%2$.0s%3$.0s" },
	[DIAG_MSG_REQUIRED] = { "schema.required", 3,
		"missing required field '%1$s%2$s'%3$.0s",
		"缺少必填字段 %1$s%2$s%3$.0s" },
	[DIAG_MSG_REQUIRED_LABEL] = { "schema.required", 3,
		"missing required field '%1$s%2$s' (%3$s)",
		"缺少必填字段“%3$s”（%1$s%2$s）" },
	[DIAG_MSG_REQUIRED_EMPTY] = { "schema.required_empty", 3,
		"required field '%1$s%2$s' is empty%3$.0s",
		"必填字段“%3$s”（%1$s%2$s）不能为空" },
	[DIAG_MSG_REFERENCE] = { "model.reference", 6,
		"'%1$s' refers to '%2$s', which is not a record of '%3$s' "
		"(no file %4$s/%5$s.md)%6$.0s",
		"%1$s 引用的“%2$s”不是“%6$s”中已有的记录（没有文件 %4$s/%5$s.md）"
		"%3$.0s" },
};

const char *diag_msg_key(enum diag_msg_id id)
{
	return messages[id].key;
}

const char *diag_msg_format(enum diag_msg_id id, int chinese)
{
	return chinese ? messages[id].zh : messages[id].en;
}

int diag_msg_nargs(enum diag_msg_id id)
{
	return messages[id].nargs;
}

/* The formats are not literals, which -Wformat-nonliteral would flag; they
 * are all in the table above, checked by tests/unit/test_diag_msg.c. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
void diag_vmsg(struct diag *d, const char *path, unsigned line, unsigned col,
	       enum diag_msg_id id, va_list ap)
{
	struct buf en = BUF_INIT, zh = BUF_INIT;
	va_list copy;

	va_copy(copy, ap);
	buf_vprintf(&en, messages[id].en, ap);
	buf_vprintf(&zh, messages[id].zh, copy);
	va_end(copy);
	diag_report_local(d, DIAG_ERROR, DIAG_CONTENT, path, line, col, en.ptr,
			  zh.ptr);
	buf_release(&en);
	buf_release(&zh);
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

void diag_msg(struct diag *d, const char *path, unsigned line, unsigned col,
	      enum diag_msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	diag_vmsg(d, path, line, col, id, ap);
	va_end(ap);
}

const char *diag_msg_expects_zh(const char *type_name)
{
	static const char *const names[][2] = {
		{ "string", "文字" },
		{ "integer", "整数" },
		{ "boolean", "true（是）或 false（否）" },
		{ "date", "日期，格式 年-月-日（如 2024-05-08）" },
		{ "enum", "列出的可选值之一" },
		{ "list", "列表（每项一行，以 - 开头）" },
		{ "reference", "另一条记录的文件名（slug）" },
		{ "image", "仓库中图片的路径" },
		{ "object", "一组字段" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(names[i][0], type_name))
			return names[i][1];
	return type_name;
}
