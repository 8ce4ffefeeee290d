#!/usr/bin/env python3
"""Add a history of commits to a corpus made by gen_corpus.py.

usage: bench/gen_history.py DIR COMMITS

Each commit, by one of eight people, one hour after the previous one,
edits three records; every 10th adds a case, every 25th renames an
achievement, and every 40th is the merge of a branch of three commits
(which count toward COMMITS). This is what the history pass of showcase
(published and updated dates, contributors) has to read. Deterministic:
the same corpus and COMMITS give the same repository.
"""
import os
import random
import subprocess
import sys

PEOPLE = ["王老师", "李老师", "张老师", "刘老师", "陈老师", "杨老师", "赵老师", "黄老师"]
LINES = [
    "补充了研修过程中的课堂观察记录。",
    "根据专家意见修改了成效部分的表述。",
    "更新了参训教师的反馈和后续跟踪情况。",
    "校对了数据和文字。",
]
START = 1735689600  # 2025-01-01T00:00:00Z


def git(root, *args, env=None):
    subprocess.run(["git", "-C", root, *args], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def main():
    root, total = sys.argv[1], int(sys.argv[2])
    rng = random.Random(20250101)
    content = os.path.join(root, "content")
    records = sorted(
        f"content/{coll}/{name}"
        for coll in ("projects", "studios", "cases", "achievements")
        for name in os.listdir(os.path.join(content, coll)) if name.endswith(".md"))
    state = {"n": 0, "cases": 0}

    def commit(message, paths, merge=None):
        state["n"] += 1
        who = PEOPLE[state["n"] % len(PEOPLE)]
        when = f"{START + 3600 * state['n']} +0800"
        env = dict(os.environ, GIT_AUTHOR_NAME=who, GIT_COMMITTER_NAME=who,
                   GIT_AUTHOR_EMAIL=f"t{state['n'] % len(PEOPLE)}@example.org",
                   GIT_COMMITTER_EMAIL=f"t{state['n'] % len(PEOPLE)}@example.org",
                   GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        if merge:
            git(root, "merge", "-q", "--no-ff", "-m", message, merge, env=env)
            return
        git(root, "add", "--", *paths, env=env)
        git(root, "commit", "-q", "-m", message, env=env)

    def edit(k):
        paths = rng.sample(records, k)
        for p in paths:
            with open(os.path.join(root, p), "a", encoding="utf-8") as f:
                f.write("\n" + rng.choice(LINES) + "\n")
        return paths

    def one_commit():
        paths = edit(3)
        if state["n"] % 10 == 9:
            state["cases"] += 1
            new = f"content/cases/new{state['cases']}.md"
            with open(os.path.join(root, new), "w", encoding="utf-8") as f:
                f.write(f"---\ntitle: 新增案例{state['cases']}\ndate: 2025-01-02\n"
                        f"kind: 工作案例\n---\n{rng.choice(LINES)}\n")
            paths.append(new)
            records.append(new)
        if state["n"] % 25 == 24:
            old = rng.choice([r for r in records if "/achievements/" in r])
            new = old[:-3] + "-renamed.md"
            git(root, "mv", old, new)
            records[records.index(old)] = new
            paths = [p for p in paths if p != old] + [new]  # mv staged the old
        commit("edit records", paths)

    done = 0
    while done < total:
        if done % 40 == 39 and total - done >= 4:
            git(root, "checkout", "-q", "-b", f"topic{done}")
            for _ in range(3):
                one_commit()
            git(root, "checkout", "-q", "-")
            commit("merge", [], merge=f"topic{done}")
            done += 4
        else:
            one_commit()
            done += 1


if __name__ == "__main__":
    main()
