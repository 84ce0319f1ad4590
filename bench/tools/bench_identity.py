#!/usr/bin/python3
"""Creates and removes the benchmark's own Keystone project and user on the local cloud (as local-admin).

    bench_identity.py create PREFIX OUT_DIR AUTH_URL   -> JSON {project_id, project_name, user_id, user_name} on stdout,
                                                         OUT_DIR/clouds.yaml (mode 0600) with the cloud "bench"
    bench_identity.py delete PREFIX                    -> deletes every network resource of the project, the user, the project

A project and user of its own make every Neutron access-log line of a benchmark attributable (the line carries the
user id) while other engineers use the same cloud. The password is random, only written to OUT_DIR/clouds.yaml and
never printed. OS_CLIENT_CONFIG_FILE must name the local clouds.yaml (cloud local-admin).
"""
import json
import os
import secrets
import sys

import openstack

QUOTAS = dict(security_groups=50, security_group_rules=1000, ports=500, networks=10, subnets=20)


def admin():
    return openstack.connect(cloud="local-admin")


def create(prefix, out_dir, auth_url):
    c = admin()
    project = c.identity.find_project(prefix + "project") or c.identity.create_project(
        name=prefix + "project", domain_id="default", description="ShiftStack benchmark (bench/)")
    password = secrets.token_urlsafe(24)
    user = c.identity.find_user(prefix + "user")
    if user is None:
        user = c.identity.create_user(name=prefix + "user", domain_id="default", password=password,
                                      default_project_id=project.id)
    else:
        c.identity.update_user(user, password=password)
    role = c.identity.find_role("member")
    c.identity.assign_project_role_to_user(project, user, role)
    c.network.update_quota(project.id, **QUOTAS)
    os.makedirs(out_dir, mode=0o700, exist_ok=True)
    path = os.path.join(out_dir, "clouds.yaml")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("clouds:\n  bench:\n    auth:\n")
        f.write("      auth_url: %s\n      username: %s\n      password: %s\n      project_name: %s\n"
                % (auth_url, user.name, password, project.name))
        f.write("      user_domain_name: Default\n      project_domain_name: Default\n")
        f.write("    region_name: RegionOne\n    identity_api_version: 3\n    interface: public\n")
    json.dump(dict(project_id=project.id, project_name=project.name, user_id=user.id, user_name=user.name), sys.stdout)
    print()


def quietly(action):
    try:
        action()
    except openstack.exceptions.SDKException as e:  # best effort: report, go on
        print("bench_identity: %s" % e, file=sys.stderr)


def delete(prefix):
    c = admin()
    project = c.identity.find_project(prefix + "project")
    left = []
    if project is not None:
        pid = project.id
        for fip in c.network.ips(project_id=pid):
            quietly(lambda: c.network.delete_ip(fip))
        for router in c.network.routers(project_id=pid):
            for port in c.network.ports(device_id=router.id):
                for ip in port.fixed_ips:
                    quietly(lambda: c.network.remove_interface_from_router(router, subnet_id=ip["subnet_id"]))
            quietly(lambda: c.network.delete_router(router))
        for port in c.network.ports(project_id=pid):
            if not (port.device_owner or "").startswith("network:"):
                quietly(lambda: c.network.delete_port(port))
        for net in c.network.networks(project_id=pid):
            quietly(lambda: c.network.delete_network(net))
        # Listing a project's groups makes Neutron create its "default" group if missing: list once, delete all,
        # then check each by id.
        groups = list(c.network.security_groups(project_id=pid))
        for sg in groups:
            quietly(lambda: c.network.delete_security_group(sg))
        left = [("port", p.id) for p in c.network.ports(project_id=pid)] + \
               [("network", n.id) for n in c.network.networks(project_id=pid)] + \
               [("security group", s.id) for s in groups if c.network.find_security_group(s.id) is not None]
        if not left:
            quietly(lambda: c.network.delete_quota(pid))
    user = c.identity.find_user(prefix + "user")
    if user is not None:
        quietly(lambda: c.identity.delete_user(user))
    if project is not None and not left:
        quietly(lambda: c.identity.delete_project(project))
    if left:
        print("bench_identity: left in project %s: %s" % (prefix + "project", left), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "create":
        create(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 3 and sys.argv[1] == "delete":
        delete(sys.argv[2])
    else:
        sys.exit(__doc__)
