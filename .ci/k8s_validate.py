"""Validate deploy/k8s offline: render the kustomization, check every object against the Kubernetes
JSON schemas bundled in `kubernetes-validate` (strict: unknown fields are errors), then check the
deployment rules the bot depends on. No cluster, no network, no kubectl.

    python .ci/k8s_validate.py [deploy/k8s]

The renderer understands only what deploy/k8s uses (resources, configMapGenerator with files,
images) and rejects anything else, so it never silently renders something kustomize would not.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath
from typing import Any

import kubernetes_validate
import yaml

# The oldest release still worth supporting, and the newest whose schemas the package bundles.
VERSIONS = ("1.28.0", kubernetes_validate.utils.latest_version())
CONFIGMAP_LIMIT = 1024 * 1024  # bytes of data in one ConfigMap
KUSTOMIZATION_KEYS = {"apiVersion", "kind", "resources", "configMapGenerator", "images"}

Obj = dict[str, Any]


class Invalid(Exception):
    """The manifests break a rule; the message says which and where."""


def load_docs(path: Path) -> list[Obj]:
    """Return the non-empty YAML documents of one manifest file."""
    docs = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]
    for doc in docs:
        if not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc:
            raise Invalid(f"{path}: every document must be a Kubernetes object with apiVersion and kind")
    return docs


def render(folder: Path) -> tuple[list[Obj], set[Path]]:
    """Render the kustomization in `folder`; return the objects and the files it uses."""
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(kustomization) - KUSTOMIZATION_KEYS
    if unknown:
        raise Invalid(f"kustomization.yaml: {sorted(unknown)} not understood by this CI renderer; extend it")
    used: set[Path] = set()
    objects: list[Obj] = []
    for name in kustomization.get("resources") or []:
        path = (folder / name).resolve()
        if not path.is_file():
            raise Invalid(f"kustomization.yaml: resource {name} is not a file (folders/URLs unsupported here)")
        used.add(path)
        objects.extend(load_docs(path))
    for generator in kustomization.get("configMapGenerator") or []:
        if set(generator) - {"name", "files"}:
            raise Invalid(f"configMapGenerator {generator.get('name')}: only name and files are supported")
        data: dict[str, str] = {}
        for entry in generator.get("files") or []:
            key, _, source = entry.rpartition("=") if "=" in entry else ("", "", entry)
            path = (folder / source).resolve()
            if not path.is_relative_to(folder.resolve()):
                raise Invalid(
                    f"configMapGenerator {generator['name']}: {source} is outside {folder} (kustomize refuses it)"
                )
            if not path.is_file():
                raise Invalid(f"configMapGenerator {generator['name']}: no file {source}")
            used.add(path)
            data[key or PurePosixPath(source).name] = path.read_text(encoding="utf-8")
        size = sum(len(k) + len(v.encode()) for k, v in data.items())
        if size > CONFIGMAP_LIMIT:
            raise Invalid(f"configMapGenerator {generator['name']}: {size} bytes, over the 1 MiB ConfigMap limit")
        objects.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}, "data": data})
    for image in kustomization.get("images") or []:
        for container in containers(objects):
            repo, _, tag = container["image"].partition(":")
            if repo == image["name"]:
                container["image"] = f"{image.get('newName', repo)}:{image.get('newTag', tag or 'latest')}"
    return objects, used


def containers(objects: list[Obj]) -> list[Obj]:
    """Return every container of every Deployment."""
    return [
        container
        for obj in objects
        if obj["kind"] == "Deployment"
        for container in obj["spec"]["template"]["spec"]["containers"]
    ]


def schema_check(obj: Obj, where: str) -> None:
    for version in VERSIONS:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            raise Invalid(
                f"{where}: {obj['kind']}/{obj['metadata'].get('name')} invalid for {version}: {path}: {exc.message}"
            ) from None
        except kubernetes_validate.SchemaNotFoundError as exc:
            raise Invalid(f"{where}: {exc.message}") from None


def require(condition: bool, message: str) -> None:
    if not condition:
        raise Invalid(message)


def policy_check(objects: list[Obj], secrets: list[Obj]) -> None:
    """The rules lessonbot's deployment depends on (see the comments in deployment.yaml)."""
    by_kind: dict[str, dict[str, Obj]] = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = obj
    require("Secret" not in by_kind, "a Secret is rendered by the kustomization: the token must be created by hand")
    for secret in secrets:
        values = {**(secret.get("data") or {}), **(secret.get("stringData") or {})}
        filled = sorted(k for k, v in values.items() if v)
        require(not filled, f"Secret {secret['metadata']['name']} in the repository has values for {filled}")
    deployments = list(by_kind.get("Deployment", {}).values())
    require(len(deployments) == 1, f"expected exactly one Deployment, found {len(deployments)}")
    spec = deployments[0]["spec"]
    require(spec.get("replicas") == 1, "the Deployment must have replicas: 1 (a gateway bot must never run twice)")
    require(spec.get("strategy", {}).get("type") == "Recreate", "the Deployment must use strategy Recreate")
    pod = spec["template"]["spec"]
    require(pod.get("securityContext", {}).get("runAsNonRoot") is True, "pod securityContext: runAsNonRoot: true")
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    for volume in volumes.values():
        if "configMap" in volume:
            name = volume["configMap"]["name"]
            require(name in by_kind.get("ConfigMap", {}), f"volume {volume['name']}: no ConfigMap {name}")
        if "persistentVolumeClaim" in volume:
            name = volume["persistentVolumeClaim"]["claimName"]
            require(name in by_kind.get("PersistentVolumeClaim", {}), f"volume {volume['name']}: no PVC {name}")
    secret_names = {secret["metadata"]["name"] for secret in secrets}
    config = yaml.safe_load(by_kind["ConfigMap"]["lessonbot-config"]["data"]["config.yaml"])
    state = PurePosixPath(config["storage"]["path"])
    for container in pod["containers"]:
        name = container["name"]
        context = container.get("securityContext", {})
        require(context.get("readOnlyRootFilesystem") is True, f"{name}: readOnlyRootFilesystem: true")
        require(context.get("allowPrivilegeEscalation") is False, f"{name}: allowPrivilegeEscalation: false")
        require("ALL" in context.get("capabilities", {}).get("drop", []), f"{name}: capabilities drop ALL")
        for key in ("requests", "limits"):
            require("memory" in container.get("resources", {}).get(key, {}), f"{name}: resources.{key}.memory")
        probe = container.get("livenessProbe", {}).get("exec", {}).get("command", [])
        require(probe[:2] == ["lessonbot", "health"], f"{name}: livenessProbe must exec `lessonbot health`")
        for env in container.get("env", []):
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                require(
                    ref["name"] in secret_names,
                    f"{name}: env {env['name']} uses Secret {ref['name']}, which no secret.example.yaml documents",
                )
        writable = [
            mount
            for mount in container.get("volumeMounts", [])
            if not mount.get("readOnly") and "persistentVolumeClaim" in volumes[mount["name"]]
        ]
        require(
            any(state.is_relative_to(mount["mountPath"]) for mount in writable),
            f"{name}: storage.path {state} (config.yaml) is not on a writable PersistentVolumeClaim mount",
        )


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "deploy/k8s")
    try:
        objects, used = render(folder)
        for obj in objects:
            schema_check(obj, "kustomization")
        secrets: list[Obj] = []
        for path in sorted(folder.glob("*.yaml")):
            if path.resolve() in used or path.name == "kustomization.yaml":
                continue
            for obj in load_docs(path):  # files beside the kustomization, e.g. secret.example.yaml
                schema_check(obj, path.name)
                if obj["kind"] == "Secret":
                    secrets.append(obj)
        policy_check(objects, secrets)
    except Invalid as exc:
        sys.stderr.write(f"k8s: {exc}\n")
        return 1
    kinds = ", ".join(f"{obj['kind']}/{obj['metadata']['name']}" for obj in objects)
    print(
        f"k8s: ok: {kinds} (+ {len(secrets)} example Secret) valid against Kubernetes "
        f"{' and '.join(VERSIONS)} schemas (strict); deployment rules hold"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
