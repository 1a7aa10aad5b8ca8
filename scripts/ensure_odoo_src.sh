#!/usr/bin/env bash
# Make sure an Odoo 18.0 source tree is available ($ODOO_SRC, default /opt/odoo).
# When it is absent, try a shallow clone of Odoo's official repository into the cache.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -f "$ODOO_SRC/odoo-bin" ]; then
    # Refuse another major version early: the addon targets 18.0 only.
    series="$(sed -n "s/^version_info = (\([0-9]*\), *\([0-9]*\).*/\1.\2/p" "$ODOO_SRC/odoo/release.py" 2>/dev/null || true)"
    [ "$series" = "$ODOO_BRANCH" ] || die "$ODOO_SRC is Odoo '${series:-unknown}', not $ODOO_BRANCH; set ODOO_SRC to an Odoo $ODOO_BRANCH tree."
    exit 0
fi

if [ -n "$ODOO_SRC_GIVEN" ]; then
    die "ODOO_SRC=$ODOO_SRC holds no odoo-bin; point ODOO_SRC to an Odoo $ODOO_BRANCH tree, or unset it to use /opt/odoo (cloned from $ODOO_GIT_URL when absent)."
fi
info "No Odoo source at $ODOO_SRC; cloning Odoo $ODOO_BRANCH into $ODOO_CLONE"
mkdir -p "$CACHE"
rm -rf "$ODOO_CLONE.partial"
if GIT_TERMINAL_PROMPT=0 git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_CLONE.partial" </dev/null; then
    mv "$ODOO_CLONE.partial" "$ODOO_CLONE"
    info "Odoo $ODOO_BRANCH cloned; it is used from now on (ODOO_SRC=$ODOO_CLONE)"
    exit 0
fi
rm -rf "$ODOO_CLONE.partial"
cat >&2 <<MSG
ERROR: no Odoo $ODOO_BRANCH source tree found, and cloning $ODOO_GIT_URL failed.
Do one of:
  - point ODOO_SRC to an Odoo $ODOO_BRANCH tree (a folder holding odoo-bin), e.g.
        make run ODOO_SRC=/path/to/odoo-$ODOO_BRANCH
  - or allow network access to github.com and run the command again
    (it clones into $ODOO_CLONE).
MSG
exit 1
