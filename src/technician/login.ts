// The two ways in: the technician card (its PIN, then the registry checks the card's signature and
// says who and which role, until when), or the fallback technician id + PIN + one-time code. Any
// failure answers the same `loginFailed`, after the same work; the real reason goes only to the
// journal. Failures are throttled by the journal-backed lockout; a one-time code is spent once.
import { readTotpSecret, totpStep, verifyTechnicianPin } from './auth.js';
import type { Lockout } from './lockout.js';
import type { Session, TechnicianDeps } from './context.js';

export type LoginOutcome = { ok: true; session: Session } | { ok: false };

/** Hashed for an unknown id too, so the answer takes as long either way. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const totpKey = (id: string) => `login.totp.lastStep.${id}`;

export function createLogin(deps: TechnicianDeps, lockout: Lockout, now: () => Date) {
  const { journal, devices, config, log } = deps;

  function failed(who: string, entry: 'pin' | 'card', reason: string, lockId: string | null): LoginOutcome {
    lockout.failed(lockId, entry, now());
    journal.technicianAction({
      technician: who,
      role: '-',
      action: 'loginFailed',
      detail: { entry, reason },
    });
    log.warn({ technician: who, entry, reason }, 'technician login failed');
    return { ok: false };
  }

  async function card(pin: string): Promise<LoginOutcome> {
    const card = devices.card;
    if (lockout.blockedUntil(null, 'card', now())) return failed('card', 'card', 'backOff', null);
    if (!card.cardPresent()) return failed('card', 'card', 'noCard', null);
    try {
      const info = await card.cardInfo();
      if (!info.technician) return failed('card', 'card', 'notTechnicianCard', null);
      const r = await card.verifyAuthPin(pin);
      if (!r.ok) return failed('card', 'card', r.blocked ? 'cardBlocked' : 'wrongPin', null);
      const { certificate } = await card.readAuthCertificate();
      const challenge = await devices.registry.challenge();
      const signature = await card.signWithAuthKey(challenge.nonce);
      const t = await devices.registry.technicianSession({
        challengeId: challenge.challengeId,
        certificate,
        signature,
      });
      if (Date.parse(t.expiresAt) <= now().getTime())
        return failed(t.technicianId, 'card', 'sessionExpired', null);
      lockout.succeeded(t.technicianId, 'card');
      return {
        ok: true,
        session: { id: t.technicianId, role: t.role, method: 'card', expiresAt: t.expiresAt },
      };
    } catch (e) {
      const kind = (e as { kind?: string }).kind ?? 'error';
      return failed(
        'card',
        'card',
        kind === 'unauthorized' || kind === 'rejected'
          ? 'registryRefused'
          : kind === 'unreachable' || kind === 'timeout'
            ? 'registryUnavailable'
            : `card:${kind}`,
        null,
      );
    } finally {
      await card.endSession();
    }
  }

  function fallback(technicianId: string, pin: string, totp: string): LoginOutcome {
    const at = now();
    const account = config.technician.accounts.find((a) => a.id === technicianId);
    const lockId = account ? account.id : null;
    const blocked = lockout.blockedUntil(lockId, 'pin', at);
    const pinOk = verifyTechnicianPin(pin, account?.pinHash ?? DUMMY_HASH);
    if (blocked) return failed(technicianId, 'pin', 'locked', null);
    let step: number | null = null;
    if (account) {
      try {
        step = totpStep(readTotpSecret(account.totpSecretFile), totp, config.technician.totpWindow, at);
      } catch (e) {
        log.error({ err: (e as Error).message }, 'TOTP secret unreadable');
      }
    }
    if (!account) return failed(technicianId, 'pin', 'unknownTechnician', null);
    if (!pinOk) return failed(technicianId, 'pin', 'wrongPin', lockId);
    if (step === null) return failed(technicianId, 'pin', 'wrongTotp', lockId);
    const lastStep = journal.getState<number>(totpKey(account.id)) ?? -1;
    if (step <= lastStep) return failed(technicianId, 'pin', 'totpReused', lockId);
    journal.setState(totpKey(account.id), step);
    lockout.succeeded(account.id, 'pin');
    return { ok: true, session: { id: account.id, role: account.role, method: 'pin', expiresAt: null } };
  }

  return { card, fallback };
}
