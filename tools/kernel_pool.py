"""A Jupyter kernel manager that keeps one Rust kernel started ahead, for the next notebook.

    jupyter lab --ServerApp.kernel_manager_class=kernel_pool.PooledKernelManager \
        --ServerApp.kernel_websocket_connection_class=kernel_pool.SettledNudgeConnection
    (tools/ on PYTHONPATH)

`./course.sh lab` and the browser test start JupyterLab with it. A Rust kernel spends its first
seconds loading lectureutil (evcxr's rust-analyzer reads tch's whole crate graph): about 12 s on
2 cores. This manager starts one kernel as the server starts, in the folder JupyterLab serves,
and hands it to the first notebook opened there that asks for the Rust kernel; then it starts the
next one. So the student who opens a notebook finds its kernel ready, or well on the way.

A notebook in another folder, another kernel, a restart, or a kernel asked for by id get what
they get without the pool. The pooled kernel is not listed among the running ones until it is
handed out; the server shuts it down with the others when it stops.
"""
import asyncio
import uuid

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import IOLoop
from traitlets import Float, Integer, Unicode


class PooledKernelManager(AsyncMappingKernelManager):
    pooled_kernel_name = Unicode("rust", config=True, help="The kernel spec kept started ahead.")
    pool_size = Integer(1, config=True, help="How many kernels to keep started ahead (0: none).")
    pool_path = Unicode("", config=True,
                        help="The API path of the folder whose notebooks get pooled kernels.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Starts under way or done, each (kernel id, task), oldest first.
        self._pool = []
        # The server's loop runs this once it starts (init_ioloop comes before this manager).
        IOLoop.current().add_callback(self._fill)

    def _fill(self):
        while len(self._pool) < self.pool_size:
            kernel_id = str(uuid.uuid4())
            task = asyncio.ensure_future(self._start_pooled(kernel_id))
            self._pool.append((kernel_id, task))

    async def _start_pooled(self, kernel_id):
        self.log.info("Starting a %s kernel ahead for the next notebook", self.pooled_kernel_name)
        return await super().start_kernel(
            kernel_id=kernel_id, kernel_name=self.pooled_kernel_name, path=self.pool_path
        )

    def _cwd(self, path):
        return self.cwd_for_path(path or "")

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs):
        name = kwargs.get("kernel_name") or self.default_kernel_name
        if (kernel_id is None and name == self.pooled_kernel_name and self._pool
                and self._cwd(path) == self._cwd(self.pool_path)):
            pooled_id, task = self._pool.pop(0)
            IOLoop.current().add_callback(self._fill)
            try:
                await task
            except Exception as e:  # it failed to start: start one the usual way
                self.log.warning("The kernel started ahead failed (%s); starting another", e)
            else:
                if pooled_id in self:
                    self.log.info("Handing the kernel started ahead (%s) to a notebook", pooled_id)
                    return pooled_id
        return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)

    def list_kernels(self):
        waiting = {kernel_id for kernel_id, _ in self._pool}
        return [k for k in super().list_kernels() if k["id"] not in waiting]


class SettledNudgeConnection(ZMQChannelsWebsocketConnection):
    """A browser's kernel connection that is nudged unless the kernel is really busy.

    The server checks, before a new connection's IOPub subscription is known to be live, that the
    kernel answers ("nudge"), but skips that for a kernel it believes busy. A Rust kernel still
    loading lectureutil answers the server's first kernel_info request only when the load is done;
    the reply comes on the shell channel before the "idle" status on IOPub, so in that window the
    kernel looks busy, the nudge is skipped, and the page can miss every status message: its
    kernel never shows idle and no cell runs (seen once in CI, page waiting 600 s). So this waits
    up to `settle_seconds` for a "busy" state to pass before deciding; a kernel busy running a
    cell is still not nudged, as upstream intends.
    """

    settle_seconds = Float(3.0, config=True, help="How long a busy kernel may take to go idle.")

    def nudge(self):
        if getattr(self.kernel_manager, "execution_state", None) != "busy":
            return super().nudge()
        nudge = super().nudge

        async def settled():
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.settle_seconds
            while (getattr(self.kernel_manager, "execution_state", None) == "busy"
                   and loop.time() < deadline):
                await asyncio.sleep(0.05)
            state = getattr(self.kernel_manager, "execution_state", None)
            self.log.info("Kernel %s looked busy as a page connected; now %s, %s", self.kernel_id,
                          state, "not nudged (running a cell)" if state == "busy" else "nudged")
            await nudge()

        return asyncio.ensure_future(settled())
