#!/usr/bin/python3
"""The careful scripter's path: one process, openstacksdk, one request per rule, sequential.

    sdk_one_per_request.py RULES_TSV     (same environment and rules file as manual-cli.sh)

Prints JSON {"import_s": ..., "work_s": ...}: the time to import openstacksdk and the time of the work itself
(connection, token, every request), so the process start can be told apart from the work.
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
desc = "Created By OpenShift Installer"
conn = openstack.connect(cloud=env.get("OS_CLOUD", "bench"))
net = conn.network

sg = {}
for role in ("master", "worker"):
    group = net.create_security_group(name="%s-%s" % (infra, role), description=desc)
    net.set_tags(group, [tag])
    sg[role] = group.id

for _, rule in read_rules(sys.argv[1], sg, desc):
    net.create_security_group_rule(**rule)

for port_id, role in ((env["API_PORT"], "master"), (env["INGRESS_PORT"], "worker")):
    port = net.get_port(port_id)
    net.update_port(port, security_group_ids=list(port.security_group_ids) + [sg[role]])
    port.add_tag(net, infra + "-dual-stack-vips-port")

pairs = [dict(ip_address=v) for v in env["VIPS"].split()]
for name in env["PORTS"].split():
    port = net.create_port(name=name, network_id=env["NETWORK_ID"], description="Created By ShiftStack",
                           fixed_ips=[dict(subnet_id=env["SUBNET_V4"]), dict(subnet_id=env["SUBNET_V6"])],
                           allowed_address_pairs=pairs, security_group_ids=[sg["master"]])
    net.set_tags(port, [tag])

print(json.dumps(dict(import_s=round(t1 - t0, 4), work_s=round(time.monotonic() - t1, 4))))
