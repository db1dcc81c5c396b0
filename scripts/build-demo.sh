#!/usr/bin/env bash
# Rebuilds assets/demo/demo.ppb from the CSV sources in assets/demo through the
# normal bundle path: signed with the DEMO ONLY issuer key, encrypted to the
# DEMO ONLY identity (assets/demo/keys). Run after editing the demo sources;
# the test `the_shipped_demo_bundle_matches_its_sources` checks it was.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked --quiet
recipient=$(grep -o 'age1[0-9a-z]*' assets/demo/keys/demo-identity.txt | head -1)
rm -f assets/demo/demo.ppb
./target/debug/packplan bundle create assets/demo --out assets/demo/demo.ppb \
  --recipient "$recipient" --signing-key assets/demo/keys/demo-issuer.key
