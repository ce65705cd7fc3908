"""The folders a run works on, as a Dagster resource.

Fields left empty resolve at run time through `pipelines.config.resolve_paths`, so the
same definitions serve `uw run --inbox …` (which passes run config), `dagster dev`
(environment variables) and the defaults, without re-importing anything.

Every step of the job needs this resource, and the in-process executor starts it once per
run, so it is where a run takes the warehouse's run lock (`pipelines.lib.run_lock`) and
lets go of it at the end, whoever launched the run. While it holds the lock it also holds
the warehouse open (`pipelines.lib.warehouse_connection`), so the run's steps share one
DuckDB instance. Outside a run (a sensor tick) it takes nothing.

Steps hand each other nothing but tables in the warehouse, so the job's I/O manager is
`NoValuesIOManager`, which stores nothing and refuses a value: Dagster's default one, a
pickling file-system manager, imports fsspec (~0.1 s of every run, a tenth of a no-op's
own cost) to store values no step returns.
"""


from dagster import ConfigurableIOManager, ConfigurableResource, InitResourceContext, InputContext, OutputContext
from pydantic import PrivateAttr

from pipelines.config import Paths, resolve_paths
from pipelines.lib.warehouse_connection import hold, let_go


class PipelinePaths(ConfigurableResource):
    inbox_dir: str | None = None
    warehouse_dir: str | None = None
    _run_lock: object = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        if context.run is None:
            return
        from pipelines.lib.run_lock import RunLock
        from pipelines.orchestration.dead_runs import mark_failed_if_dead

        warehouse = self.resolve().warehouse
        lock = RunLock(warehouse)
        previous = lock.acquire(context.run.run_id)  # WarehouseBusy (naming the holder) fails this run
        self._run_lock = lock
        if previous is not None and previous.run_id != context.run.run_id:
            mark_failed_if_dead(context.instance, warehouse, previous)
        # one DuckDB instance for every step of the run, not one per connection
        hold(self.resolve().warehouse_db)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._run_lock is not None:
            let_go(self.resolve().warehouse_db)
            self._run_lock.release()
            self._run_lock = None

    def resolve(self) -> Paths:
        paths = resolve_paths(self.inbox_dir, self.warehouse_dir)
        paths.warehouse.mkdir(parents=True, exist_ok=True)
        return paths


class NoValuesIOManager(ConfigurableIOManager):
    """The I/O manager of a graph whose steps pass nothing in memory: every asset returns a
    `MaterializeResult` or a Nothing-typed output, and reads its inputs from DuckDB."""

    def handle_output(self, context: OutputContext, obj: object) -> None:
        if obj is not None:
            raise TypeError(f"{context.asset_key.to_user_string() if context.has_asset_key else context.name} "
                            "returned a value: steps hand each other tables in the warehouse, not objects")

    def load_input(self, context: InputContext) -> object:
        raise TypeError(f"{context.name} asks for an upstream value: steps read the warehouse, "
                        "and declare upstream assets as `deps`")
