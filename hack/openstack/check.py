#!/usr/bin/python3
"""check.py [--compute]: end-to-end smoke check as the NON-admin user "shiftstack".

Gets a project-scoped token from Keystone, finds the network endpoint in the token's catalog
(public interface, region from $REGION) and lists networks through Neutron; the external network
"public" must be visible. With --compute it also lists flavors through Nova, images through Glance and
volume types and availability zones through Cinder; every zone a cinder-volume backend of
$OS_ETC/cinder-volume.conf names must be listed as available.
Only the standard library is used (fast: no SDK import). Exits non-zero with a reason on failure.
"""
import configparser
import json
import os
import sys
import urllib.request

E = os.environ


def call(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers, json.loads(r.read() or b"{}")


def endpoint(catalog, stype):
    for svc in catalog:
        if svc["type"] == stype:
            for e in svc["endpoints"]:
                if e["interface"] == "public" and e.get("region_id", e.get("region")) == E["REGION"]:
                    return e["url"].rstrip("/")
    sys.exit("smoke check: no public %s endpoint in region %s in the catalog" % (stype, E["REGION"]))


def volume_zones():
    """The backend_availability_zone of each backend in cinder-volume.conf's enabled_backends."""
    conf = configparser.ConfigParser(interpolation=None)
    path = os.path.join(E["OS_ETC"], "cinder-volume.conf")
    if not conf.read(path):
        sys.exit("smoke check: %s is missing" % path)
    backends = [b.strip() for b in conf.get("DEFAULT", "enabled_backends", fallback="").split(",") if b.strip()]
    if not backends:
        sys.exit("smoke check: %s names no enabled_backends" % path)
    zones = []
    for b in backends:
        if not conf.get(b, "backend_availability_zone", fallback=""):
            sys.exit("smoke check: backend %s of %s has no backend_availability_zone" % (b, path))
        zones.append(conf.get(b, "backend_availability_zone"))
    return zones


def main():
    auth = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "shiftstack", "domain": {"id": "default"}, "password": E["SHIFTSTACK_PASSWORD"]}}},
        "scope": {"project": {"name": "shiftstack", "domain": {"id": "default"}}}}}
    try:
        headers, body = call("POST", E["KEYSTONE_URL"] + "/v3/auth/tokens", auth)
    except Exception as e:  # noqa: BLE001
        sys.exit("smoke check: could not get a token as shiftstack: %s" % e)
    token = headers["X-Subject-Token"]
    roles = sorted(r["name"] for r in body["token"]["roles"])
    catalog = body["token"]["catalog"]
    net = endpoint(catalog, "network")
    try:
        _, nets = call("GET", net + "/v2.0/networks", token=token)
    except Exception as e:  # noqa: BLE001
        sys.exit("smoke check: listing networks as shiftstack through %s failed: %s" % (net, e))
    names = [n["name"] for n in nets["networks"]]
    if "public" not in names:
        sys.exit("smoke check: external network 'public' is not visible to shiftstack (saw %s)" % names)
    msg = "token as shiftstack (roles %s), %d network(s) via %s" % (",".join(roles), len(names), net)
    if "--compute" in sys.argv:
        nova = endpoint(catalog, "compute")
        glance = endpoint(catalog, "image")
        cinder = endpoint(catalog, "volumev3")
        try:
            _, fl = call("GET", nova + "/flavors", token=token)
            _, im = call("GET", glance + "/v2/images", token=token)
            _, vt = call("GET", cinder + "/types", token=token)
            _, az = call("GET", cinder + "/os-availability-zone", token=token)
        except Exception as e:  # noqa: BLE001
            sys.exit("smoke check: listing flavors/images/volume types as shiftstack failed: %s" % e)
        available = sorted(z["zoneName"] for z in az["availabilityZoneInfo"] if z["zoneState"]["available"])
        missing = [z for z in volume_zones() if z not in available]
        if missing:
            sys.exit("smoke check: Cinder does not list the volume zone(s) %s of cinder-volume's backends as "
                     "available (it lists %s): see %s/cinder-volume.log" % (missing, available, E["OS_LOG"]))
        msg += ", %d flavor(s), %d image(s), %d volume type(s), volume zone(s) %s" % (
            len(fl["flavors"]), len(im["images"]), len(vt["volume_types"]), ",".join(available))
    print("          " + msg)


if __name__ == "__main__":
    main()
