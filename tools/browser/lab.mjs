// Opens one notebook in JupyterLab in headless Chromium, runs all cells the way a student does
// (Run > Run All Cells), and reports what the page shows. The assertions live in the course's
// browser test (course/tests/browser.rs); this script only drives the browser and reads the page.
//
//   node tools/browser/lab.mjs JUPYTER ROOT_DIR NOTEBOOK SCREENSHOT REPORT
//
// JUPYTER is the `jupyter` program, ROOT_DIR the folder JupyterLab serves, NOTEBOOK a file in it.
// REPORT gets JSON: the kernel, the notebook as the page's model holds it (nbformat, outputs
// included), which cells show a loaded image (and which an SVG one), and whether typing into a check cell and into an
// exercise cell changed them. Exit status 0 when the page could be driven.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [jupyter, rootDir, notebook, screenshot, reportPath] = process.argv.slice(2);
if (!reportPath) {
  console.error('usage: node lab.mjs JUPYTER ROOT_DIR NOTEBOOK SCREENSHOT REPORT');
  process.exit(2);
}
const say = (text) => console.error(`browser: ${text}`);
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(base, token, lab) {
  for (let i = 0; i < 600; i++) {
    if (lab.exitCode !== null) throw new Error(`jupyter lab exited (${lab.exitCode}) before it served`);
    try {
      const res = await fetch(`${base}/api/status?token=${token}`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('jupyter lab did not answer within 120 s');
}

const port = await freePort();
const token = randomBytes(16).toString('hex');
const scratch = path.join(path.dirname(reportPath), 'lab-state');
// JupyterLab's "get notified about news?" popup would cover part of the screenshot.
const notifications = path.join(scratch, 'settings', '@jupyterlab', 'apputils-extension');
mkdirSync(notifications, { recursive: true });
writeFileSync(path.join(notifications, 'notification.jupyterlab-settings'), '{"fetchNews": "false"}\n');
// The same server as `./course.sh lab --headless`, on a free port, with settings and workspaces
// of its own (the student's are never read or written), and the app exposed to the page script.
const labArgs = [
  'lab', '--no-browser', '--ip=127.0.0.1', `--port=${port}`,
  `--ServerApp.root_dir=${rootDir}`, `--IdentityProvider.token=${token}`,
  `--LabApp.user_settings_dir=${path.join(scratch, 'settings')}`,
  `--LabApp.workspaces_dir=${path.join(scratch, 'workspaces')}`,
  '--LabApp.expose_app_in_browser=True',
  // As `./course.sh lab`: one Rust kernel started ahead for the first notebook opened.
  '--ServerApp.kernel_manager_class=kernel_pool.PooledKernelManager',
  // ...and a page that connects while the kernel finishes loading still sees it go idle.
  '--ServerApp.kernel_websocket_connection_class=kernel_pool.SettledNudgeConnection',
];
if (process.getuid && process.getuid() === 0) labArgs.push('--allow-root');
const toolsDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const labEnv = { ...process.env, PYTHONPATH: [toolsDir, process.env.PYTHONPATH].filter(Boolean).join(':') };
const lab = spawn(jupyter, labArgs, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: labEnv });
let labLog = '';
lab.stderr.on('data', (d) => { labLog = (labLog + d).slice(-20000); });
// Jupyter starts each kernel in a session of its own, so killing the server's group would leave
// the kernel running (and holding its build folder): the page shuts the kernel down first, then
// the server gets SIGTERM (it stops its kernels) and, if still there after 15 s, SIGKILL.
const killLab = () => { try { process.kill(-lab.pid, 'SIGKILL'); } catch { /* gone */ } };
process.on('exit', killLab);
async function stopLab() {
  try { process.kill(-lab.pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 150 && lab.exitCode === null && lab.signalCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  killLab();
}

const base = `http://127.0.0.1:${port}`;
let browser;
const report = { kernel: null, pooled_kernel: false, notebook: null, rendered_images: [], rendered_svgs: [], edits: {}, seconds: {}, problems: [] };
try {
  await waitForServer(base, token, lab);
  report.seconds.server = Number(seconds());
  say(`JupyterLab on port ${port} (${seconds()} s)`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // The probe's flags: no sandbox as root; no background connections (the network is closed).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => report.problems.push(`page error: ${e.message}`));
  await page.goto(`${base}/lab/tree/${encodeURIComponent(notebook)}?token=${token}&reset`);
  // The notebook panel is open and its kernel has started and is idle.
  await page.waitForFunction(() => {
    const panel = window.jupyterapp?.shell?.currentWidget;
    return panel?.sessionContext?.session?.kernel?.status === 'idle' && panel.content?.widgets?.length > 0;
  }, null, { timeout: 600_000, polling: 500 });
  report.seconds.kernel_ready = Number(seconds());
  report.kernel = await page.evaluate(() => {
    const ctx = window.jupyterapp.shell.currentWidget.sessionContext;
    return { name: ctx.session.kernel.name, display_name: ctx.kernelDisplayName };
  });
  // tools/kernel_pool.py logs the hand-over of the kernel it started with the server.
  report.pooled_kernel = labLog.includes('Handing the kernel started ahead');
  say(`kernel ${report.kernel.display_name} ready (${seconds()} s; started ahead: ${report.pooled_kernel}); Run All Cells`);
  await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
  // Done when no cell waits or runs ([*]) and the kernel has been idle for two polls in a row.
  await page.waitForFunction(() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const busy = panel.sessionContext.session.kernel.status !== 'idle'
      || panel.content.widgets.some((c) => c.model.type === 'code' && c.promptNode?.textContent?.includes('*'));
    window.__idlePolls = busy ? 0 : (window.__idlePolls || 0) + 1;
    return window.__idlePolls >= 2;
  }, null, { timeout: 1_200_000, polling: 1000 });
  report.seconds.run_all = Number(seconds());
  say(`all cells ran (${seconds()} s)`);
  report.notebook = await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.model.toJSON());
  // Which cells show an image that the browser loaded and decoded (scrolled into view first:
  // JupyterLab may not render cells that are off screen).
  const count = await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.widgets.length);
  let lastImage = null;
  for (let i = 0; i < count; i++) {
    const shown = await page.evaluate(async (index) => {
      const notebookWidget = window.jupyterapp.shell.currentWidget.content;
      await notebookWidget.scrollToItem(index, 'center');
      const cell = notebookWidget.widgets[index];
      const images = [...cell.node.querySelectorAll('.jp-OutputArea-output img')];
      await Promise.all(images.map((img) => img.decode().catch(() => null)));
      const drawn = images.filter((img) => img.complete && img.naturalWidth > 0);
      // JupyterLab shows an image/svg+xml output as an <img> of a data: URL.
      return { any: drawn.length > 0, svg: drawn.some((img) => img.src.startsWith('data:image/svg+xml')) };
    }, i);
    if (shown.any) {
      report.rendered_images.push(i + 1);
      lastImage = i;
    }
    if (shown.svg) report.rendered_svgs.push(i + 1);
  }
  if (lastImage !== null) {
    // The screenshot shows the last figure with its cell.
    await page.evaluate(async (index) => {
      await window.jupyterapp.shell.currentWidget.content.scrollToItem(index, 'center');
    }, lastImage);
    await page.waitForTimeout(500);
  }
  mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
  say(`screenshot ${screenshot}`);
  // A student who types into a cell: a check cell (locked by its metadata) must refuse it, an
  // exercise cell must take it. The notebook is a scratch copy and is never saved.
  report.edits = {};
  for (const [label, prefix] of [['check', '// Check '], ['exercise', '// Exercise ']]) {
    const index = await page.evaluate(async (p) => {
      const nb = window.jupyterapp.shell.currentWidget.content;
      const i = nb.widgets.findIndex((c) => c.model.sharedModel.getSource().startsWith(p));
      if (i >= 0) {
        await nb.scrollToItem(i, 'center');
        nb.widgets[i].node.setAttribute('data-edit-probe', 'yes');
      }
      return i;
    }, prefix);
    if (index < 0) continue;
    const before = await page.evaluate((i) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel.getSource(), index);
    await page.locator('[data-edit-probe="yes"] .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' // typed by the browser test');
    await page.waitForTimeout(300);
    const after = await page.evaluate((i) => {
      const cell = window.jupyterapp.shell.currentWidget.content.widgets[i];
      cell.node.removeAttribute('data-edit-probe');
      return cell.model.sharedModel.getSource();
    }, index);
    report.edits[label] = { cell: index + 1, changed: after !== before };
    await page.keyboard.press('Escape');
  }
  say(`typing into cells: ${JSON.stringify(report.edits)}`);
  await page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown());
} catch (e) {
  report.problems.push(`${e.message}\n--- jupyter lab's last messages ---\n${labLog.slice(-4000)}`);
  // What the page showed when it gave up: the kernel's status as the page saw it, and the screen.
  const page = browser?.contexts()[0]?.pages()[0];
  if (page) {
    const state = await page.evaluate(() => {
      const ctx = window.jupyterapp?.shell?.currentWidget?.sessionContext;
      const kernel = ctx?.session?.kernel;
      return { status: kernel?.status, connection: kernel?.connectionStatus, id: kernel?.id,
        dialogs: [...document.querySelectorAll('.jp-Dialog')].map((d) => d.textContent) };
    }).catch((err) => ({ unreadable: err.message }));
    report.problems.push(`the page's kernel when it gave up: ${JSON.stringify(state)}`);
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot }).catch(() => null);
  }
} finally {
  if (browser) await browser.close();
  await stopLab();
}
report.seconds.total = Number(seconds());
writeFileSync(reportPath, JSON.stringify(report));
process.exit(0);
