#!/usr/bin/python3
"""cri.py: a small Kubernetes CRI client for hrun's end-to-end tests.

    cri.py --socket SOCK --pb DIR [--timeout S] METHOD [JSON]
    cri.py --socket SOCK --pb DIR [--timeout S] wait JSON

METHOD is an rpc of runtime.v1.RuntimeService or runtime.v1.ImageService
as cri.proto declares them (RunPodSandbox, ContainerStatus, ...); JSON is
its request message in proto3 JSON with the proto field names
('{"container_id": "...", "timeout": 5}'; default '{}'). DIR holds
cri_pb2.py, which `protoc --python_out=DIR cri.proto` makes.

Prints the response as one JSON object, with every field (zero values and
enum names included: "state": "SANDBOX_READY"), the proto field names, and
the bytes of ExecSync's stdout and stderr as text; exits 0. A failed call
prints {"error": {"code": "NOT_FOUND", "message": "..."}} and exits 1;
a usage error exits 2.

`wait` polls ContainerStatus every 0.1 s until the container's state is
the one asked for, or until "seconds" pass:
    wait '{"container_id": "ID", "state": "CONTAINER_EXITED", "seconds": 10}'
prints the last ContainerStatusResponse (or the error); exits 0 when the
state was reached, 3 when the time ran out.

`clean` stops and removes every pod sandbox (and so their containers):
    clean '{}'
prints {"removed": [ids], "failed": [{"id": ..., "error": ...}]}; exits 0
when every pod went, 1 otherwise.

Nothing but the unix socket given is ever connected to.
"""

import argparse
import json
import sys
import time


def fail_usage(msg):
    print("cri.py: " + msg, file=sys.stderr)
    sys.exit(2)


def main():
    ap = argparse.ArgumentParser(prog="cri.py", add_help=True)
    ap.add_argument("--socket", required=True, help="the CRI unix socket")
    ap.add_argument("--pb", required=True, help="directory of cri_pb2.py")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds a call may take (default 60)")
    ap.add_argument("method")
    ap.add_argument("request", nargs="?", default="{}")
    args = ap.parse_args()

    sys.path.insert(0, args.pb)
    try:
        import grpc
        from google.protobuf import json_format
        import cri_pb2
    except ImportError as e:
        fail_usage("%s (Debian packages python3-grpcio, python3-protobuf; "
                   "cri_pb2.py from protoc --python_out)" % e)

    try:
        req_json = json.loads(args.request)
    except ValueError as e:
        fail_usage("the request is not JSON: %s" % e)

    services = cri_pb2.DESCRIPTOR.services_by_name

    def find_method(name):
        for svc in ("RuntimeService", "ImageService"):
            m = services[svc].methods_by_name.get(name)
            if m is not None:
                return m
        fail_usage("no method %s in cri.proto" % name)

    def to_dict(msg):
        d = json_format.MessageToDict(msg, preserving_proto_field_name=True,
                                      including_default_value_fields=True)
        if isinstance(msg, cri_pb2.ExecSyncResponse):
            d["stdout"] = msg.stdout.decode("utf-8", "replace")
            d["stderr"] = msg.stderr.decode("utf-8", "replace")
        return d

    channel = grpc.insecure_channel("unix://" + args.socket)

    def call(method_name, body):
        m = find_method(method_name)
        req_cls = getattr(cri_pb2, m.input_type.name)
        resp_cls = getattr(cri_pb2, m.output_type.name)
        try:
            req = json_format.ParseDict(body, req_cls())
        except json_format.ParseError as e:
            fail_usage("%s: %s" % (m.input_type.name, e))
        stub = channel.unary_unary(
            "/runtime.v1.%s/%s" % (m.containing_service.name, m.name),
            request_serializer=req_cls.SerializeToString,
            response_deserializer=resp_cls.FromString)
        try:
            return 0, to_dict(stub(req, timeout=args.timeout))
        except grpc.RpcError as e:
            return 1, {"error": {"code": e.code().name, "message": e.details()}}

    if args.method == "wait":
        cid = req_json.get("container_id", "")
        want = req_json.get("state", "")
        end = time.monotonic() + float(req_json.get("seconds", 10))
        while True:
            rc, out = call("ContainerStatus", {"container_id": cid})
            if rc == 0 and out["status"]["state"] == want:
                break
            if time.monotonic() >= end:
                rc = 3
                break
            time.sleep(0.1)
    elif args.method == "clean":
        rc, pods = call("ListPodSandbox", {})
        out = {"removed": [], "failed": []}
        if rc != 0:
            out["failed"].append({"id": "", "error": pods["error"]})
        for pod in pods.get("items", []):
            ref = {"pod_sandbox_id": pod["id"]}
            rc1, r1 = call("StopPodSandbox", ref)
            rc2, r2 = call("RemovePodSandbox", ref)
            if rc2 == 0:
                out["removed"].append(pod["id"])
            else:
                rc = 1
                out["failed"].append({"id": pod["id"], "error": r2["error"],
                                      "stop": r1.get("error")})
    else:
        rc, out = call(args.method, req_json)
    print(json.dumps(out, sort_keys=True))
    channel.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
