#!/usr/bin/env python3
"""Fails when a window's catalog is behind its source or a translation is not finished.

Runs lupdate over the sources into a copy of the committed .ts file (the committed file is
never touched), then checks every message of the copy:
  - it was in the committed file already (else someone added a tr() text and did not run
    `cmake --build build --target update_translations`);
  - it has a finished translation (for the English catalog, which holds plural forms only:
    every message with %n);
  - each translation keeps the source's placeholders: every %1..%99 and %n.
Prints one line per problem, naming the context and the source text.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PLACEHOLDER = re.compile(r"%(?:\d{1,2}|n)")


def messages(path):
    """(context, source, comment) -> message element, for every message of the .ts file."""
    tree = ET.parse(path)
    found = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            key = (name, message.findtext("source"), message.findtext("comment") or "")
            found[key] = message
    return tree.getroot().get("language"), found


def translations(message):
    """The translated texts of a message: one, or one per plural form."""
    translation = message.find("translation")
    if translation is None:
        return []
    forms = translation.findall("numerusform")
    return [form.text or "" for form in forms] if forms else [translation.text or ""]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lupdate", required=True)
    parser.add_argument("--ts", required=True)
    parser.add_argument("--include", required=True, help="the repository root (includes are written from it)")
    parser.add_argument("sources", nargs="+", help="source folders, as the build's update_translations scans them")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        current = os.path.join(scratch, os.path.basename(args.ts))
        shutil.copyfile(args.ts, current)
        run = subprocess.run([args.lupdate, "-I", args.include, "-no-obsolete", "-locations", "none", "-silent",
                              *args.sources, "-ts", current], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"lupdate failed ({run.returncode}):\n{run.stdout}{run.stderr}")
            return 1
        _, committed = messages(args.ts)
        language, regenerated = messages(current)

    plural_only = language is not None and language.startswith("en")
    problems = []
    for (context, source, comment), message in sorted(regenerated.items()):
        where = f"{context}: {source!r}"
        if (context, source, comment) not in committed:
            problems.append(f"not in {os.path.basename(args.ts)} (run the update_translations target): {where}")
            continue
        numerus = message.get("numerus") == "yes"
        if plural_only and not numerus:
            continue
        translation = message.find("translation")
        texts = translations(message)
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete") \
                or not texts or any(not text.strip() for text in texts):
            problems.append(f"no finished translation: {where}")
            continue
        wanted = sorted(set(PLACEHOLDER.findall(source)))
        for text in texts:
            have = sorted(set(PLACEHOLDER.findall(text)))
            if have != wanted:
                problems.append(f"placeholders {have} instead of {wanted}: {where} -> {text!r}")
    for problem in problems:
        print(problem)
    print(f"{os.path.basename(args.ts)}: {len(regenerated)} messages, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
