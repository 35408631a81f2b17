#!/usr/bin/env python3
"""Generates patchgate's curated vendor profiles from the reference endpoint table.

The research behind the profiles lives outside the repository, in
../shared/reference/update-endpoints.md (notes) and update-endpoints.tsv (one row per host,
columns profile, host_pattern, scheme, port, purpose, source). This script turns the TSV into
one HOCON file per profile under allowlist/src/main/resources/dev/patchgate/allowlist/profiles/
plus index.txt, which Profiles.java loads. The output is committed; ProfilesTest checks it.

Rules (each left-out row is listed, with its reason, in the header of its profile's file):
  * Only rows whose source column starts with the evidence class `doc` or `observed` ship;
    `unconfirmed` rows never do.
  * Rows the reference marks "keep disabled", "OPTIONAL" (cloud lookups, telemetry: not
    updates) or "very broad" are left out: a curated profile opens update paths, nothing more.
  * Only http and https are proxied; other schemes (ftp) are left out.
  * `a..b` ranges (um01.eset.com..um23.eset.com) are enumerated; `http,https` with `80,443`
    becomes one rule per scheme and port.
  * A `host/path` row becomes a rule restricted to that path prefix (plain HTTP only: a path
    cannot be checked inside a CONNECT tunnel, so such an https row is left out).
  * A wildcard anywhere but a leading `*.` cannot be expressed and is left out.

Usage (from the repository root):
  python3 allowlist/tools/generate-profiles.py [--tsv PATH] [--last-verified YYYY-MM-DD]
  python3 allowlist/tools/generate-profiles.py --check      # exit 1 if the files are stale
  python3 allowlist/tools/generate-profiles.py --markdown   # README table on stdout
"""

import argparse
import csv
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_TSV = REPO.parent / "shared" / "reference" / "update-endpoints.tsv"
OUT_DIR = REPO / "allowlist" / "src" / "main" / "resources" / "dev" / "patchgate" / "allowlist" / "profiles"
SCRIPT = "allowlist/tools/generate-profiles.py"

# The reference records no research date of its own; 2026-11-23 is the date of
# update-endpoints.md/.tsv as delivered. Pass --last-verified when the research is redone.
LAST_VERIFIED = "2026-11-23"

# TSV profile name -> (shipped name, title, what it covers, notes for the file header).
PROFILES = {
    "windows-update-client": (
        "windows-update",
        "Windows Update (clients)",
        "Windows 10/11 and Server 2016+ updating straight from Microsoft: metadata over HTTPS,"
        " payloads over HTTP, Delivery Optimization, certificate trust lists",
        ["Combine with microsoft-pki for CRL/OCSP checks.",
         "Proxies must pass Range requests (BITS, Delivery Optimization)."],
    ),
    "wsus-upstream": (
        "wsus-upstream",
        "WSUS server synchronising from Microsoft Update",
        "A WSUS server's metadata sync and content download from Microsoft Update",
        ["WSUS-to-client traffic (8530/8531) stays inside the LAN and needs no rule here."],
    ),
    "microsoft-update-catalog": (
        "microsoft-update-catalog",
        "Microsoft Update Catalog (manual downloads)",
        "Administrators downloading .msu/.cab packages by hand from the catalog",
        [],
    ),
    "microsoft-defender-av": (
        "microsoft-defender",
        "Microsoft Defender Antivirus updates",
        "Security intelligence and platform updates through WU/MU and the alternate download"
        " location, and the Microsoft CRL/AIA paths Defender checks",
        ["Cloud-delivered protection (MAPS) is not shipped: it uploads data and is not an update."],
    ),
    "microsoft-pki": (
        "microsoft-pki",
        "Microsoft certificate trust and revocation",
        "Automatic root update (trust lists), Microsoft's and DigiCert's CRL, OCSP and AIA hosts"
        " that Windows uses to check signatures and TLS chains",
        ["Third-party CAs (GlobalSign, Entrust, IdenTrust, legacy Symantec) are in pki-common."],
    ),
    "pki-common": (
        "pki-common",
        "Third-party CA revocation (GlobalSign, Entrust, IdenTrust, legacy Symantec)",
        "CRL, OCSP and AIA hosts of third-party CAs in Microsoft 365's and vendors' certificate"
        " chains",
        [],
    ),
    "microsoft-edge": (
        "microsoft-edge",
        "Microsoft Edge updates",
        "Edge update checks and payloads",
        [],
    ),
    "microsoft-365-apps": (
        "microsoft-365-apps",
        "Microsoft 365 Apps (Office Click-to-Run) updates",
        "Office Click-to-Run CDN updates",
        [],
    ),
    "trend-micro-apex-one-jp": (
        "trend-micro",
        "Trend Micro Apex One / Virus Buster Corp. ActiveUpdate (Japan)",
        "ActiveUpdate (Japan and global) for the Apex One server; Vision One agent update and"
        " licence services",
        ["By default only the Apex One server downloads from ActiveUpdate; agents update from it."],
    ),
    "eset": (
        "eset",
        "ESET updates and services",
        "ESET's service domains (KB332), update mirrors and the ESET PROTECT repository",
        [],
    ),
    "symantec-sep": (
        "symantec",
        "Symantec Endpoint Protection LiveUpdate",
        "LiveUpdate content for SEPM (clients normally update from SEPM or a GUP)",
        [],
    ),
    "sophos-central": (
        "sophos",
        "Sophos Central",
        "Sophos Central management, installers, update servers and live-protection lookups",
        ["*.cloudfront.net, which Sophos lists, is not shipped: it would open every CloudFront"
         " customer. Add it in an entry of your own only if Central needs it."],
    ),
    "trellix-epo": (
        "trellix-epo",
        "Trellix (McAfee) ePO / ENS updates",
        "The McAfeeHttp source site the ePO master repository pulls DATs and engines from",
        [],
    ),
    "kaspersky": (
        "kaspersky",
        "Kaspersky Endpoint Security updates",
        "Kaspersky update servers (HTTPS and classic HTTP), activation and CRL",
        [],
    ),
    "adobe-acrobat-reader": (
        "adobe-reader",
        "Adobe Acrobat Reader updates",
        "Adobe updater (ARM) metadata, update downloads and CRL",
        [],
    ),
    "oracle-java": (
        "oracle-java",
        "Oracle Java update check",
        "The Java Update check host (downloads host unconfirmed, not shipped)",
        [],
    ),
    "google-chrome": (
        "google-chrome",
        "Google Chrome updates",
        "Google Update (Omaha) checks and Chrome payloads",
        [],
    ),
    "debian": (
        "debian",
        "Debian archive and security updates",
        "deb.debian.org and security.debian.org",
        ["APT checks signed Release files and per-file hashes, so plain HTTP can be mirrored."],
    ),
    "ubuntu": (
        "ubuntu",
        "Ubuntu archive and security updates",
        "The Ubuntu archive, country mirrors, the security pocket and ESM",
        [],
    ),
    "rhel": (
        "rhel",
        "Red Hat Enterprise Linux CDN and subscription",
        "Red Hat's CDN and subscription service",
        ["CDN content is fetched with the system's entitlement certificate over HTTPS: it can be"
         " tunnelled, not mirrored. Prefer Satellite or a local mirror."],
    ),
}

EVIDENCE = re.compile(r"\s*(doc|observed|unconfirmed)\b")
LABEL = re.compile(r"^(?:list |host )?(?:doc|observed)(?:\s*\([^)]*\))?\s*:\s*")
VIA_GITHUB = re.compile(r"^(?:doc|observed)\s*\(via (github:[^)]*)\)")
URL = re.compile(r"https?://[^\s;]+")
BARE = re.compile(r"^(?:doc|observed)\s*\(([^)]*)\)")
ONLY_URLS = re.compile(r"^(?:https?://\S+)(?:\s+\([^)]*\))?$")
RANGE = re.compile(r"^([a-z-]*?)(\d+)(\.[a-z0-9.-]+)\.\.\1(\d+)\3$")
NAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def evidence_of(source):
    match = EVIDENCE.match(source)
    return match.group(1) if match else None


def exclusion(row, host, path):
    """Why a row is not shipped, or None."""
    evidence = evidence_of(row["source"])
    purpose = row["purpose"]
    if evidence not in ("doc", "observed"):
        return "evidence is '%s', not doc or observed" % (evidence or row["source"])
    if "keep disabled" in purpose.lower():
        return "the reference says keep disabled"
    if purpose.startswith("OPTIONAL"):
        return "marked OPTIONAL: %s" % purpose[len("OPTIONAL"):].strip()
    if "very broad" in purpose.lower():
        return "too broad for a curated profile"
    schemes = [s.strip() for s in row["scheme"].split(",")]
    if any(s not in ("http", "https") for s in schemes):
        return "scheme %s is not proxied" % row["scheme"]
    if not all(NAME.match(h) for h in expand(host)):
        return "not expressible: a wildcard may only be a leading '*.'"
    if path and "https" in schemes:
        return "a path cannot be checked inside a CONNECT tunnel"
    return None


def expand(host):
    match = RANGE.match(host)
    if not match:
        return [host]
    prefix, first, suffix, last = match.groups()
    width = len(first)
    return ["%s%0*d%s" % (prefix, width, n, suffix) for n in range(int(first), int(last) + 1)]


def schemes_and_ports(row):
    schemes = [s.strip() for s in row["scheme"].split(",")]
    ports = [int(p) for p in row["port"].split(",")]
    if len(ports) == 1:
        ports = ports * len(schemes)
    if len(ports) != len(schemes):
        raise SystemExit("row %s: %d schemes but %d ports" % (row["host_pattern"], len(schemes), len(ports)))
    return list(zip(schemes, ports))


def sources_of(source):
    """The distinct references a source column cites, in order."""
    found = []
    for index, part in enumerate(p.strip() for p in source.split(" ; ")):
        via = VIA_GITHUB.match(part)
        if via:
            found.append(via.group(1))
        label = LABEL.match(part)
        bare = BARE.match(part)
        if index == 0 and not label and bare:
            found.append(bare.group(1))  # "observed (public scripts); ..." names its source
            continue
        if not label and not URL.search(part):
            continue  # a qualifier such as "scheme unconfirmed" or "observed (http)"
        text = part[label.end():] if label else part
        if ONLY_URLS.match(text):
            found.extend(u.rstrip(").,") for u in URL.findall(text))
        elif text:
            found.append(text)
    return found


def hocon(value):
    return json.dumps(value, ensure_ascii=False)


def build(tsv, last_verified):
    with open(tsv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    unknown = sorted({r["profile"] for r in rows} - set(PROFILES))
    if unknown:
        raise SystemExit("TSV profiles without a shipped name in PROFILES: %s" % ", ".join(unknown))
    profiles = []
    for tsv_name, (name, title, covers, notes) in PROFILES.items():
        mine = [r for r in rows if r["profile"] == tsv_name]
        hosts, left_out, sources, seen = [], [], [], set()
        for row in mine:
            host, _, rest = row["host_pattern"].partition("/")
            path = "/" + rest if rest else ""
            reason = exclusion(row, host, path)
            if reason:
                left_out.append((row, reason))
                continue
            for ref in sources_of(row["source"]):
                if ref not in sources:
                    sources.append(ref)
            rules = []
            for expanded in expand(host):
                for scheme, port in schemes_and_ports(row):
                    key = (expanded, scheme, port, path)
                    if key not in seen:
                        seen.add(key)
                        rules.append((expanded, scheme, port, path))
            hosts.append((row, rules))
        if not hosts:
            continue
        if not sources:
            raise SystemExit("profile %s: shipped rows cite no source" % name)
        profiles.append({
            "name": name, "tsv": tsv_name, "title": title, "covers": covers, "notes": notes,
            "rows": len(mine), "hosts": hosts, "left_out": left_out, "sources": sources,
            "last_verified": last_verified,
            "count": sum(len(rules) for _, rules in hosts),
        })
    return sorted(profiles, key=lambda p: p["name"])


def render(profile):
    shipped_rows = len(profile["hosts"])
    out = [
        "# Curated profile '%s': %s." % (profile["name"], profile["title"]),
        "#",
        "# GENERATED by %s from the reference table update-endpoints.tsv" % SCRIPT,
        "# (../shared/reference, research notes in update-endpoints.md), rows of profile '%s':"
        % profile["tsv"],
        "# %d of %d rows shipped (evidence doc or observed) as %d host rules. Do not edit by hand."
        % (shipped_rows, profile["rows"], profile["count"]),
    ]
    for note in profile["notes"]:
        out.append("# Note: %s" % note)
    if profile["left_out"]:
        out.append("# Left out:")
        for row, reason in profile["left_out"]:
            out.append("#   %s %s/%s: %s" % (row["host_pattern"], row["scheme"], row["port"], reason))
    out += [
        "# To update: correct update-endpoints.tsv (and .md), then from the repository root run",
        "#   python3 %s --last-verified YYYY-MM-DD" % SCRIPT,
        "#   mvn -B -o -pl allowlist test -Dtest='Profiles*'",
        "",
        "name = %s" % hocon(profile["name"]),
        "title = %s" % hocon(profile["title"]),
        "last-verified = %s" % hocon(profile["last_verified"]),
        "sources = [",
    ]
    out += ["  %s" % hocon(s) for s in profile["sources"]]
    out += ["]", "hosts = ["]
    for row, rules in profile["hosts"]:
        out.append("  # %s" % row["source"])
        evidence = evidence_of(row["source"])
        for host, scheme, port, path in rules:
            fields = ["host = %s" % hocon(host), "scheme = %s" % scheme, "port = %d" % port]
            if path:
                fields.append("paths = [%s]" % hocon(path))
            fields += ["purpose = %s" % hocon(row["purpose"]), "evidence = %s" % evidence]
            out.append("  { %s }" % ", ".join(fields))
    out += ["]", ""]
    return "\n".join(out)


def render_index(profiles):
    lines = [
        "# The curated profiles shipped in this directory, one name a line (resources cannot be",
        "# listed from a jar). GENERATED by %s; do not edit by hand." % SCRIPT,
    ]
    return "\n".join(lines + [p["name"] for p in profiles]) + "\n"


def short_sources(sources):
    """Sources for a table cell: one link per site (the profile file has every page)."""
    sites, texts = {}, []
    for source in sources:
        url = URL.fullmatch(source)
        github = re.match(r"github:([\w.-]+/[\w.-]+)", source)
        if url:
            site = re.match(r"https?://([^/]+)", source).group(1)
            sites.setdefault(site, []).append(source)
        elif github:
            repo = github.group(1)
            sites.setdefault("github.com/" + repo, []).append("https://github.com/" + repo)
        else:
            texts.append(source.split(" (")[0])
    cells = []
    for site, urls in sites.items():
        pages = "" if len(urls) == 1 else " (%d pages)" % len(urls)
        cells.append("[%s](%s)%s" % (site, urls[0], pages))
    return ", ".join(cells + texts).replace("|", "\\|")


def markdown(profiles):
    lines = [
        "| profile | what it covers | host rules | sources | last verified |",
        "|---|---|---|---|---|",
    ]
    for p in profiles:
        lines.append("| `%s` | %s | %d | %s | %s |" % (
            p["name"], p["covers"], p["count"], short_sources(p["sources"]), p["last_verified"]))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--last-verified", default=LAST_VERIFIED)
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ")
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    args = parser.parse_args()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.last_verified):
        raise SystemExit("--last-verified must be YYYY-MM-DD")
    profiles = build(args.tsv, args.last_verified)
    if args.markdown:
        sys.stdout.write(markdown(profiles))
        return 0
    files = {OUT_DIR / ("%s.conf" % p["name"]): render(p) for p in profiles}
    files[OUT_DIR / "index.txt"] = render_index(profiles)
    stale = [f for f, text in files.items() if not f.exists() or f.read_text(encoding="utf-8") != text]
    extra = [f for f in OUT_DIR.glob("*.conf") if f not in files] if OUT_DIR.exists() else []
    if args.check:
        for f in stale + extra:
            print("stale: %s" % f.relative_to(REPO), file=sys.stderr)
        return 1 if stale or extra else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for f in extra:
        f.unlink()
    for f, text in files.items():
        f.write_text(text, encoding="utf-8")
    for p in profiles:
        print("%-26s %3d host rule(s) from %2d of %2d rows" % (p["name"], p["count"], len(p["hosts"]), p["rows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
