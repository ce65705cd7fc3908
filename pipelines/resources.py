"""The folders a run works on, as a Dagster resource.

Fields left empty resolve at run time through `pipelines.config.resolve_paths`, so the
same definitions serve `uw run --inbox …` (which passes run config), `dagster dev`
(environment variables) and the defaults, without re-importing anything.
"""


from dagster import ConfigurableResource

from pipelines.config import Paths, resolve_paths


class PipelinePaths(ConfigurableResource):
    inbox_dir: str | None = None
    warehouse_dir: str | None = None

    def resolve(self) -> Paths:
        paths = resolve_paths(self.inbox_dir, self.warehouse_dir)
        paths.warehouse.mkdir(parents=True, exist_ok=True)
        return paths
