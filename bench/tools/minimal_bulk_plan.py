#!/usr/bin/python3
"""The minimal sequential bulk plan: the fewest Neutron requests a careful engineer could send for the same work,
one after another, in one process (openstacksdk only for its authenticated session; every body is written here).

    minimal_bulk_plan.py RULES_TSV     (same environment and rules file as manual-cli.sh)

What it sends, in order:
  1  POST /security-groups            both groups in one bulk body (Neutron takes no tags in a group POST)
  2  PUT  /security-groups/{id}/tags/{tag}   one per group
  2  POST /security-group-rules       one bulk body per group (Neutron takes the rules of one group per request:
                                      SecurityGroupNotSingleGroupRules)
  1  GET  /ports?id=API&id=INGRESS    the VIP ports' current groups (needed to add one without dropping the user's)
  2  PUT  /ports/{id}                 each VIP port: its groups plus the cluster's
  2  PUT  /ports/{id}/tags/{tag}      each VIP port's tag
  node ports: with an auto-address IPv6 subnet (IPV6_MODE slaac or dhcpv6-stateless), one POST per port, because
  a bulk POST fails there on Neutron 21.0.0 (bug 1995732); otherwise one bulk POST. Tags are in the POST body; a
  port whose answer lacks its tags or pairs (Neutron without the tag-ports-during-bulk-creation extension driver,
  or Zed's bulk create that drops the pairs) gets one PUT for what it lacks, as the answer shows: no extra look-up.

Prints JSON {"import_s", "work_s", "requests"}.
"""
import json
import os
import sys
import time

t0 = time.monotonic()
import openstack  # noqa: E402
from rules_tsv import read_rules  # noqa: E402

t1 = time.monotonic()
env = os.environ
infra = env["INFRA_ID"]
tag = "openshiftClusterID=" + infra
vip_tag = infra + "-dual-stack-vips-port"
installer = "Created By OpenShift Installer"
conn = openstack.connect(cloud=env.get("OS_CLOUD", "bench"))
net = conn.network
requests = 0


def call(method, path, body=None):
    global requests
    requests += 1
    response = getattr(net, method)(path, json=body) if body is not None else getattr(net, method)(path)
    if response.status_code >= 300:
        raise SystemExit("minimal_bulk_plan: %s %s: %d %s" % (method.upper(), path, response.status_code, response.text[:300]))
    return response.json() if response.content else None


groups = call("post", "/security-groups", {"security_groups": [
    {"name": "%s-%s" % (infra, role), "description": installer} for role in ("master", "worker")]})["security_groups"]
sg = {g["name"].rsplit("-", 1)[1]: g["id"] for g in groups}
for group_id in sg.values():
    call("put", "/security-groups/%s/tags/%s" % (group_id, tag))

rules = {role: [] for role in sg}
for role, rule in read_rules(sys.argv[1], sg, installer):
    rules[role].append(rule)
for role in sg:
    call("post", "/security-group-rules", {"security_group_rules": rules[role]})

vip_ports = {p["id"]: p for p in call("get", "/ports?id=%s&id=%s" % (env["API_PORT"], env["INGRESS_PORT"]))["ports"]}
for port_id, role in ((env["API_PORT"], "master"), (env["INGRESS_PORT"], "worker")):
    call("put", "/ports/%s" % port_id, {"port": {"security_groups": vip_ports[port_id]["security_groups"] + [sg[role]]}})
    call("put", "/ports/%s/tags/%s" % (port_id, vip_tag))

pairs = [dict(ip_address=v) for v in env["VIPS"].split()]
bodies = [dict(name=name, network_id=env["NETWORK_ID"], description="Created By ShiftStack",
               fixed_ips=[dict(subnet_id=env["SUBNET_V4"]), dict(subnet_id=env["SUBNET_V6"])],
               allowed_address_pairs=pairs, security_groups=[sg["master"]], tags=[tag])
          for name in env["PORTS"].split()]
if env.get("IPV6_MODE", "slaac") in ("slaac", "dhcpv6-stateless"):
    created = [call("post", "/ports", {"port": body})["port"] for body in bodies]
else:
    created = call("post", "/ports", {"ports": bodies})["ports"]
for port in created:
    if sorted(p["ip_address"] for p in port["allowed_address_pairs"]) != sorted(p["ip_address"] for p in pairs):
        call("put", "/ports/%s" % port["id"], {"port": {"allowed_address_pairs": pairs}})
    if tag not in port.get("tags", []):
        call("put", "/ports/%s/tags/%s" % (port["id"], tag))

print(json.dumps(dict(import_s=round(t1 - t0, 4), work_s=round(time.monotonic() - t1, 4), requests=requests)))
