// The layers of docs/ARCHITECTURE.md, enforced by `npm run lint`. A rule names what a layer may not
// import; anything a layer above may use is allowed. Type-only imports count.
// The CLI's tools (benchmarks, fuzzing) start kiosks and hosts of their own, so they sit with the hosts.
const HOSTS = '^src/(cli|electron|host|bench|fuzz)/';
const APP = '^src/(app\\.ts$|app/|technician/|fleet/|ops/)';
const ADAPTERS = '^src/(card|payment|registry|printing|documents)/';
const CORE = '^src/core/';
const PORTS = '^src/core/ports\\.ts$';
const SIMULATORS = '^fixtures/(?!faults/)';
// Test harnesses and tools that start a whole kiosk (the fault runner among them).
const OURS_OUTSIDE = '^(test|bench|scripts|bin|fixtures/faults)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circle anywhere: a circle hides which module is the lower one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'drivers-stand-alone',
      severity: 'error',
      comment: 'A driver speaks to its device and depends on nothing else of ours.',
      from: { path: '^drivers/' },
      to: { path: '^(src|renderer|fixtures|test|bench|scripts|bin)/' },
    },
    {
      name: 'renderer-sees-only-the-contract',
      severity: 'error',
      comment:
        'The renderer draws snapshots and sends input: it knows the contract and nothing else of ours.',
      from: { path: '^renderer/' },
      to: { path: '^(src/(?!contract/)|drivers/|fixtures/|test/|bench/|scripts/|bin/)' },
    },
    {
      name: 'contract-is-a-leaf',
      severity: 'error',
      comment: 'The contract (schemas shared by the core and the renderer) imports nothing else of ours.',
      from: { path: '^src/contract/' },
      to: { path: '^(src/(?!contract/)|drivers/|renderer/|fixtures/)' },
    },
    {
      name: 'shared-stays-low',
      severity: 'error',
      comment:
        'Configuration, logging and the personal-data policy are used by every layer, so they import only the contract and each other.',
      from: { path: '^src/(config|log|privacy)/' },
      to: { path: `^(src/(?!contract/|config/|log/|privacy/)|drivers/|renderer/|fixtures/)` },
    },
    {
      name: 'core-knows-ports-not-adapters',
      severity: 'error',
      comment: "The core reaches devices and the registry only through its ports; assembly is the app's.",
      from: { path: CORE },
      to: {
        path: `(${ADAPTERS}|${APP}|${HOSTS}|^renderer/|${SIMULATORS}|${OURS_OUTSIDE}|^drivers/(?!common/))`,
      },
    },
    {
      name: 'adapters-implement-ports',
      severity: 'error',
      comment:
        'An adapter implements a core port over a driver: of the core it sees the ports and the clock port only.',
      from: { path: ADAPTERS },
      to: { path: `(${CORE}(?!(ports|clock)\\.ts$)|${APP}|${HOSTS}|^renderer/|${OURS_OUTSIDE})` },
    },
    {
      name: 'simulators-below-the-app',
      severity: 'error',
      comment: 'Simulators stand in for devices and the registry; they never reach into the core or the app.',
      from: { path: SIMULATORS },
      to: { path: `(${CORE}(?!ports\\.ts$)|${APP}|${HOSTS}|^renderer/|^(test|scripts|bin)/)` },
    },
    {
      name: 'app-below-the-hosts',
      severity: 'error',
      comment:
        'The app (assembly, technician console, fleet, operations) is started by a host, never the reverse.',
      from: { path: APP },
      to: { path: `(${HOSTS}|^renderer/|^(test|scripts|bin)/)` },
    },
    {
      name: 'hosts-start-the-app',
      severity: 'error',
      comment:
        'Hosts (Electron, browser host, CLI) are the top: nothing of ours imports them but another host.',
      from: { pathNot: `(${HOSTS}|${OURS_OUTSIDE})` },
      to: { path: HOSTS },
    },
    {
      name: 'ports-are-types',
      severity: 'error',
      comment: 'The ports describe what the core needs; they import only the shared device status.',
      from: { path: PORTS },
      to: { path: '^(src/|drivers/(?!common/)|fixtures/|renderer/)' },
    },
    {
      name: 'no-electron-outside-the-shell',
      severity: 'error',
      comment: 'Only src/electron (and its tests) may import Electron.',
      from: { pathNot: '^(src|test)/electron/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|release)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
