#!/usr/bin/env python3
"""Generate a content repository of N records for benchmarks.

usage: bench/gen_corpus.py N DIR

Writes site.yaml and content/ under DIR (a new git repository with one
commit), with a report record for each year 2020-2024. The mix follows a real bureau's proportions: per 100 records about
8 projects, 2 studios, 30 cases, 55 achievements, 5 selections; bodies of
realistic length (cases ~1,500 characters with a table and a footnote). Deterministic: the
same N gives the same repository.
"""
import os
import random
import subprocess
import sys

REGIONS = ["东城区", "河阳县", "北山县", "龙泉区", "西湖区", "南山县"]
LEVELS_P = ["国培", "省培", "市培", "县培", "校本"]
KINDS_S = ["名师工作室", "名校长工作室", "名班主任工作室", "教师工作坊"]
LEVELS_S = ["国家级", "省级", "市级", "县级"]
KINDS_C = ["工作案例", "学员成长案例", "校本研修案例", "送教下乡案例", "工作室建设案例"]
KINDS_A = ["论文", "课题", "获奖", "公开课", "课程资源", "著作", "讲座"]
LEVELS_A = ["国家级", "省级", "市级", "县级", "校级"]
SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "道德与法治", "班主任", "心理健康"]
SENTENCES = [
    "项目坚持问题导向，围绕课堂教学中的真实困惑设计研修主题。",
    "学员通过课例研究、同课异构和反思写作，逐步形成了自己的教学主张。",
    "工作室采用“理论学习—课堂实践—反思改进”的循环模式开展研修。",
    "送教下乡活动覆盖全县乡村学校，切实解决了乡村教师外出培训难的问题。",
    "培训团队由高校专家、教研员和一线骨干教师组成，优势互补。",
    "校本研修以教研组为单位，聚焦大单元教学设计与作业设计。",
    "通过线上线下混合式研修，参训教师的信息技术应用能力明显提升。",
    "项目实施过程中注重过程性评价，建立了学员成长档案。",
]


def para(rng, n):
    return "".join(rng.choice(SENTENCES) for _ in range(n))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    n, root = int(sys.argv[1]), sys.argv[2]
    # Every Nth case is featured (printed in full in the booklet).
    featured_every = int(os.environ.get("FEATURED_EVERY", "20"))
    rng = random.Random(n)
    os.makedirs(root, exist_ok=True)
    write(os.path.join(root, "site.yaml"),
          "title: 基准测试教师培训成果\nbase_url: /\nlanguage: zh-CN\n")
    c = os.path.join(root, "content")
    nproj, nstud = max(1, n * 8 // 100), max(1, n * 2 // 100)
    ncase, nsel = n * 30 // 100, max(1, n * 5 // 100)
    nach = max(0, n - nproj - nstud - ncase - nsel)
    for i in range(nproj):
        y = 2020 + i % 5
        write(f"{c}/projects/p{i}.md", f"""---
title: {y}年{rng.choice(REGIONS)}{rng.choice(SUBJECTS)}骨干教师培训项目{i}
year: {y}
level: {rng.choice(LEVELS_P)}
category: 骨干教师能力提升
region: {rng.choice(REGIONS)}
institution: 沁川师范学院
stage: [小学, 初中]
subject: [{rng.choice(SUBJECTS)}]
trainees: {rng.randint(30, 500)}
hours: {rng.randint(24, 120)}
start: {y}-03-01
end: {y}-11-30
rating: 优秀
summary: {para(rng, 1)}
---
## 项目目标

{para(rng, 4)}

## 实施过程

{para(rng, 6)}

| 模块 | 学时 | 形式 |
|---|---|---|
| 师德修养 | 8 | 讲座 |
| 课堂教学 | 24 | 工作坊 |
""")
    for i in range(nstud):
        write(f"{c}/studios/s{i}.md", f"""---
title: 第{i}名师工作室
kind: {rng.choice(KINDS_S)}
level: {rng.choice(LEVELS_S)}
host: 主持人{i}
school: 实验小学
region: {rng.choice(REGIONS)}
subject: [{rng.choice(SUBJECTS)}]
founded: {2015 + i % 8}
members: {rng.randint(5, 30)}
---
{para(rng, 5)}
""")
    for i in range(ncase):
        y = 2020 + i % 5
        write(f"{c}/cases/c{i}.md", f"""---
title: 案例{i}：{rng.choice(SENTENCES)[:12]}
date: {y}-{1 + i % 12:02d}-{1 + i % 28:02d}
authors: [作者甲, 作者乙]
school: 第{i % 50}中学
region: {rng.choice(REGIONS)}
kind: {rng.choice(KINDS_C)}
project: p{rng.randrange(nproj)}
studio: s{rng.randrange(nstud)}
tags: [校本研修, 课堂教学]
featured: {"true" if i % featured_every == 0 else "false"}
summary: {para(rng, 1)}
---
## 背景

{para(rng, 5)}

## 做法

{para(rng, 8)}[^1]

参见[所属项目](../projects/p{rng.randrange(nproj)}.md)。

| 阶段 | 内容 | 时间 |
|---|---|---|
| 准备 | 调研 | 一周 |
| 实施 | 研修 | 一月 |

## 成效

{para(rng, 6)}

[^1]: 数据来自案例{i}所在学校的研修档案。
""")
    for i in range(nach):
        y = 2020 + i % 5
        write(f"{c}/achievements/a{i}.md", f"""---
title: 成果{i}
studio: s{rng.randrange(nstud)}
date: {y}-{1 + i % 12:02d}-{1 + i % 28:02d}
kind: {rng.choice(KINDS_A)}
level: {rng.choice(LEVELS_A)}
award: 一等奖
people: [教师甲, 教师乙]
venue: 中小学教师培训
---
{para(rng, 2)}
""")
    for i in range(nsel):
        y = 2020 + i % 5
        entries = "\n".join(f"  - name: 入选{k}\n    grade: 优秀\n    case: c{rng.randrange(max(1, ncase))}"
                            for k in range(5)) if ncase else "  - name: 入选\n"
        write(f"{c}/selections/sel{i}.md", f"""---
title: {y}年度评选结果{i}
year: {y}
category: 典型案例
entries:
{entries}
---
{para(rng, 1)}
""")
    for y in range(2020, 2025):
        write(f"{c}/reports/{y}.md", f"""---
title: {y}年度教师培训成果展示
subtitle: 基准测试语料
year: {y}
organization: 基准测试教育体育局
date: {y}-12-20
---
{para(rng, 6)}

{para(rng, 6)}
""")
    env = dict(os.environ, GIT_AUTHOR_DATE="2024-12-20T10:00:00+08:00",
               GIT_COMMITTER_DATE="2024-12-20T10:00:00+08:00",
               GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.org")
    subprocess.run(["git", "init", "-q", root], check=True, env=env)
    subprocess.run(["git", "-C", root, "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", root, "commit", "-q", "-m", "corpus"], check=True, env=env)


if __name__ == "__main__":
    main()
