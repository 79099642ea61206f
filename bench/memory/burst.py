#!/usr/bin/env python3
"""Memory under a burst of the largest responses Steward allows.

Starts nothing: point it at a running server (STEWARD_URL, default
http://127.0.0.1:18080/graphql) signed in as the demo admin, with the
server's pid (STEWARD_PID) to read its RSS from /proc. `seed` fills the demo
tenant with 100 accounts x 100 contacts with long texts (~7 MB as one
response); `burst N` sends N concurrent requests for all of them (through a
fragment, so field-by-field execution builds async-graphql's value tree;
with OVER=1 each asks for ~11 MB and is stopped at the 8 MiB ceiling),
then prints RSS and peak RSS now and after 2 s and 10 s of quiet.
"""
import json, os, sys, threading, time, urllib.request

URL = os.environ.get("STEWARD_URL", "http://127.0.0.1:18080/graphql")
PID = os.environ.get("STEWARD_PID")


def gql(query, variables=None, token=None):
    req = urllib.request.Request(URL, data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                 headers={"content-type": "application/json"})
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def login():
    r = gql("mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            {"i": {"tenant": "demo", "email": "admin@demo.example", "password": "steward-demo-2026"}})
    return r["data"]["login"]["accessToken"]


def rss():
    fields = {}
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                fields[k] = int(v.split()[0]) // 1024
    return f"RSS {fields['VmRSS']} MiB (peak {fields['VmHWM']} MiB)"


def seed(token):
    text = "x" * 190
    def work(k):
        for i in range(k, 100, 4):
            a = gql("mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } } }",
                    {"i": {"name": f"Memory {i:03}"}}, token)["data"]["createAccount"]["account"]["id"]
            for j in range(100):
                gql("mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }",
                    {"i": {"accountId": a, "firstName": f"First{j}", "lastName": f"Last{i}",
                           "title": text, "department": text, "email": f"p{i}.{j}@memory.example"}}, token)
    ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    [t.start() for t in ts]
    [t.join() for t in ts]


QUERY = """query($n: String!) { accounts(first: 100, filter: {nameContains: $n}) { nodes { ...A } } }
fragment A on Account { id name contacts(first: 100) { nodes { id firstName lastName title department email } } }"""
# Over the 8 MiB ceiling (~11 MB): each request builds 8 MiB, then is refused.
OVER = QUERY.replace("contacts(first: 100) {", "a: contacts(first: 100) { nodes { title department } } contacts(first: 100) {")


def burst(token, n):
    out = []
    def one(i):
        t0 = time.time()
        try:
            r = gql(OVER if os.environ.get("OVER") else QUERY, {"n": "memory"}, token)
            code = r["errors"][0]["extensions"]["code"] if r.get("errors") else "ok"
        except Exception as e:  # noqa
            code = type(e).__name__
        out.append((code, time.time() - t0))
    print("before:", rss())
    ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    t0 = time.time()
    [t.start() for t in ts]
    [t.join() for t in ts]
    codes = {}
    for c, _ in out:
        codes[c] = codes.get(c, 0) + 1
    print(f"{n} requests in {time.time() - t0:.2f}s: {codes}; after:", rss())
    for wait in (2, 8):
        time.sleep(wait)
        print(f"+{wait}s:", rss())


if __name__ == "__main__":
    token = login()
    if sys.argv[1] == "seed":
        seed(token)
    else:
        burst(token, int(sys.argv[2]))
