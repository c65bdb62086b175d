// The console's common actions: status, version, keep-alive, logout and the out-of-service switch.
import type { TechnicianResultOf } from '../../contract/technician.js';
import { softwareVersion } from '../version.js';
import type { FallbackNotice } from '../../ops/config-guard.js';
import { BOTH, CONFIG_FALLBACK, STICKY, type ActionContext, type ActionTable } from '../context.js';

async function status(ctx: ActionContext): Promise<TechnicianResultOf<'status'>> {
  const { journal, devices } = ctx.deps;
  const reasons = await ctx.deps.checkService();
  ctx.record('status');
  return {
    ok: true,
    devices: devices.statuses(),
    outOfService: journal.getState<{ message: string } | null>('outOfService') ?? null,
    needsTechnician: journal.getState<{ reason: string; at: string } | null>(STICKY) ?? null,
    reasons,
    hoppers: devices.cash.levels(),
    configFallback: journal.getState<FallbackNotice | null>(CONFIG_FALLBACK) ?? null,
  };
}

export const serviceActions: ActionTable = {
  ping: { action: 'ping', roles: BOTH, handler: () => ({ ok: true }) },
  logout: {
    action: 'logout',
    roles: BOTH,
    async handler(ctx) {
      ctx.record('logout', { reason: 'technician' });
      await ctx.leave();
      return { ok: true };
    },
  },
  status: { action: 'status', roles: BOTH, handler: status },
  version: {
    action: 'version',
    roles: BOTH,
    handler(ctx) {
      ctx.record('version');
      return {
        ok: true,
        version: softwareVersion(),
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        kioskId: ctx.deps.config.kiosk.id,
        configFile: ctx.deps.configFile,
      };
    },
  },
  outOfService: {
    action: 'outOfService',
    roles: BOTH,
    handler(ctx, req) {
      ctx.deps.journal.setState('outOfService', { message: req.message });
      ctx.record('outOfService', { on: true, message: req.message });
      return { ok: true, outOfService: { message: req.message } };
    },
  },
  inService: {
    action: 'inService',
    roles: BOTH,
    handler(ctx) {
      ctx.deps.journal.setState('outOfService', null);
      ctx.record('outOfService', { on: false });
      return { ok: true, outOfService: null };
    },
  },
};
