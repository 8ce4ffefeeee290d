/*
 * model_data: the values templates see, built once by the model stage from
 * the linked records (part of the model module; see model.h and the data
 * contract in docs/THEMES.md).
 */
#ifndef SHOWCASE_MODEL_DATA_H
#define SHOWCASE_MODEL_DATA_H

struct model;

/* Fill m->site_data, m->site_for, m->home_data, each collection's data and
 * each record's data and summary_data. */
void model_data_build(struct model *m, const char *generator,
		      const char *build_date);

#endif
