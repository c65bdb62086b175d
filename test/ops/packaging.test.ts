// The deb's inputs that can be checked without building it (the offline deb assembly is in
// scripts/package-smoke.mjs): units, maintainer scripts, udev rules, the example configuration.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigSchema } from '../../src/config/schema.js';
import { buildCtlTree, runCtl } from './ctl-tree.js';

const read = (p: string) => readFileSync(p, 'utf8');

function need(bin: string, apt: string) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: apt-get install -y ${apt}`);
}

describe('linux packaging inputs', () => {
  it('the kiosk unit passes systemd-analyze verify with no warnings', () => {
    need('/usr/bin/systemd-analyze', 'systemd');
    need('/usr/bin/cage', 'cage');
    const r = spawnSync('build/linux/verify-units.sh', { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the unit restarts on failure, starts after pcscd and cups, has a watchdog and no escape', () => {
    const unit = read('build/linux/madoguchi-kiosk.service');
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^After=.*pcscd\.service.*cups\.service/m);
    expect(unit).toMatch(/^WatchdogSec=\d+$/m);
    expect(unit).toMatch(/^NotifyAccess=all$/m);
    expect(unit).toMatch(/^User=madoguchi$/m);
    expect(unit).toMatch(/^Conflicts=getty@tty1\.service$/m);
    // cage -s would allow switching to another VT.
    expect(unit).toMatch(
      /^ExecStart=\/usr\/bin\/env XDG_RUNTIME_DIR=\/run\/madoguchi \/usr\/bin\/cage -d -- /m,
    );
  });

  it('systemd-analyze security rates the unit 4.0 or better, offline', () => {
    need('/usr/bin/systemd-analyze', 'systemd');
    const r = spawnSync(
      'systemd-analyze',
      ['security', '--offline=true', '--no-pager', 'build/linux/madoguchi-kiosk.service'],
      { encoding: 'utf8', env: { ...process.env, SYSTEMD_COLORS: '0' } },
    );
    const m = /Overall exposure level for madoguchi-kiosk\.service: (\d+\.\d)/.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(4.0);
  });

  it("cage's Wayland socket is in a directory the unit's protections leave writable", () => {
    const unit = read('build/linux/madoguchi-kiosk.service');
    // ProtectHome=yes hides /run/user: the socket must live elsewhere, in the unit's RuntimeDirectory.
    expect(unit).toMatch(/^ProtectHome=yes$/m);
    const runtime = /^RuntimeDirectory=(\S+)$/m.exec(unit)?.[1];
    expect(runtime).toBe('madoguchi');
    const xdg = /^ExecStart=\/usr\/bin\/env XDG_RUNTIME_DIR=(\S+) /m.exec(unit)?.[1];
    expect(xdg).toBe(`/run/${runtime}`);
    expect(xdg!.startsWith('/run/user')).toBe(false);
    // ProtectSystem=strict would make /run read-only apart from listed paths; full leaves /run writable.
    expect(unit).toMatch(/^ProtectSystem=full$/m);
    // The configuration the console edits stays writable under ProtectSystem.
    expect(unit).toMatch(/^ReadWritePaths=\/etc\/madoguchi$/m);
    for (const d of [
      'ProtectKernelLogs=yes',
      'ProtectHostname=yes',
      'ProtectProc=invisible',
      'SystemCallArchitectures=native',
      'CapabilityBoundingSet=',
      'IPAddressDeny=any',
    ])
      expect(unit).toContain(`\n${d}\n`);
    expect(unit).toMatch(/^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK$/m);
  });

  it('maintainer scripts are valid bash without electron-builder macros, and never delete the journal', () => {
    for (const f of [
      'build/linux/after-install.sh',
      'build/linux/after-remove.sh',
      'build/linux/madoguchi-ctl',
    ]) {
      const text = read(f);
      expect(text, f).not.toMatch(/\$\{[a-zA-Z]+\}/);
      execFileSync(f.endsWith('ctl') ? 'sh' : 'bash', ['-n', f]);
    }
    const postrm = read('build/linux/after-remove.sh');
    expect(postrm).not.toMatch(/rm\s+-r/);
    expect(postrm).toMatch(
      /systemctl stop madoguchi-kiosk\.service[\s\S]*systemctl disable madoguchi-kiosk\.service/,
    );
    const postinst = read('build/linux/after-install.sh');
    expect(postinst).toMatch(/--shell \/usr\/sbin\/nologin/);
    // The user-namespace probe runs as the kiosk user (as root it always succeeds), after the user exists.
    expect(postinst).toMatch(/runuser -u madoguchi -- unshare --user true/);
    expect(postinst.indexOf('adduser --system')).toBeLessThan(postinst.indexOf('unshare --user'));
    expect(postinst).toMatch(/adduser madoguchi "\$g"/);
    // The journal key is root's: the directory 0700 and the key 0600, made only for a kiosk with no journal.
    expect(postinst).toMatch(/install -d -m 0700 -o root -g root \/var\/lib\/madoguchi-keys/);
    expect(postinst).toMatch(/chown root:root \/var\/lib\/madoguchi-keys\/journal\.key && chmod 0600/);
    expect(postinst).toMatch(/elif \[ ! -s \/var\/lib\/madoguchi\/journal\.sqlite3 \]; then\n\s+\(umask 077/);
    expect(read('build/linux/madoguchi-kiosk.service')).toMatch(
      /^LoadCredential=journal:\/var\/lib\/madoguchi-keys$/m,
    );
  });

  it('udev rules give the serial adapters to group madoguchi and keep USB storage unmounted', () => {
    const cash = read('build/linux/udev/60-madoguchi-cash.rules');
    const rules = cash.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const r of rules) {
      expect(r).toMatch(
        /^SUBSYSTEM=="tty", ATTRS\{idVendor\}=="[0-9a-f]{4}", ATTRS\{idProduct\}=="[0-9a-f]{4}", GROUP="madoguchi", MODE="0660", ENV\{ID_MM_DEVICE_IGNORE\}="1"$/,
      );
    }
    expect(read('build/linux/udev/61-madoguchi-no-usb-storage.rules')).toMatch(/ENV\{UDISKS_IGNORE\}="1"/);
  });

  it('the example configuration is valid and selects real devices', () => {
    const config = ConfigSchema.parse(parseYaml(read('build/linux/config.example.yaml')));
    expect(config.card.driver).toBe('pcsc');
    expect(config.cash.driver).toBe('cctalk');
    expect(config.printers.certificate.driver).toBe('cups');
    expect(config.registry.mode).toBe('remote');
  });

  it('electron-builder ships the units, rules and scripts and depends on pcscd, libccid and cups', () => {
    const yml = parseYaml(read('electron-builder.yml')) as {
      deb: { depends: string[]; afterInstall: string; afterRemove: string; fpm: string[] };
    };
    expect(yml.deb.depends).toEqual(expect.arrayContaining(['pcscd', 'libccid', 'cups', 'cage']));
    expect(yml.deb.afterInstall).toBe('build/linux/after-install.sh');
    expect(yml.deb.afterRemove).toBe('build/linux/after-remove.sh');
    for (const f of yml.deb.fpm) expect(existsSync(f.split('=')[0]!), f).toBe(true);
    expect(yml.deb.fpm.map((f) => f.split('=')[1])).toEqual(
      expect.arrayContaining([
        '/usr/lib/systemd/system/madoguchi-kiosk.service',
        '/usr/lib/udev/rules.d/60-madoguchi-cash.rules',
      ]),
    );
  });
});

describe('madoguchi-ctl', () => {
  const tree = buildCtlTree();

  it('runs the compiled CLI on the system Node, never the kiosk binary as Node', () => {
    const wrapper = read('build/linux/madoguchi-ctl').replace(/^#.*\n/gm, '');
    expect(wrapper).not.toMatch(/ELECTRON_RUN_AS_NODE|tsx|app\.asar|\/opt\/Madoguchi\/madoguchi/);
    expect(wrapper).toMatch(/^CTL=\/opt\/Madoguchi\/resources\/ctl$/m);
    // Its own better-sqlite3, loadable by this Node, and no TypeScript.
    expect(existsSync(join(tree.dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(
      true,
    );
    expect(read(join(tree.dir, 'node-abi')).trim()).toBe(process.versions.modules);
    const r = runCtl(tree, ['config', 'check'], { MADOGUCHI_CONFIG: '' });
    expect(r.stdout + r.stderr).toContain('configuration ok');
    expect(r.status).toBe(0);
  });

  it('refuses commands that are not for technicians, and a Node of another ABI, with one line each', () => {
    const sim = runCtl(tree, ['sim', 'cash'], {});
    expect(sim.status).toBe(64);
    expect(sim.stderr).toBe("madoguchi-ctl: 'sim' is not a technician command (journal, upgrade, config)\n");
    writeFileSync(join(tree.dir, 'node-abi'), '1\n');
    try {
      const r = runCtl(tree, ['journal', 'verify'], {});
      expect(r.status).toBe(69);
      expect(r.stderr).toMatch(
        new RegExp(
          `^madoguchi-ctl: the system Node v[\\d.]+ has module ABI ${process.versions.modules}; this package was built for ABI 1 \\(see docs/OPERATIONS.md\\)\\n$`,
        ),
      );
    } finally {
      writeFileSync(join(tree.dir, 'node-abi'), `${process.versions.modules}\n`);
    }
  });

  it('electron-builder ships the tree outside app.asar, and the deb depends on Node', () => {
    const yml = parseYaml(read('electron-builder.yml')) as {
      extraResources: Array<{ from: string; to: string; filter: string[] }>;
      deb: { depends: string[] };
    };
    expect(yml.extraResources).toContainEqual({ from: 'dist', to: '.', filter: ['ctl/**/*'] });
    expect(yml.deb.depends).toContain('nodejs (>= 20.19)');
  });
});
