// The simulated organisation: agents with Swedish-ish names, queues with strategies, IVR menus.
import { Rng } from './random';

export interface AgentDef {
  id: number;
  first: string;
  last: string;
  /** "First Last": the name the calls and agents feeds use. */
  name: string;
  phone: string;
  timeZone: string;
  /** Devices that ring for this agent (desk phone, softphone, mobile). */
  devices: number;
}

export interface QueueDef {
  id: number;
  name: string;
  phone: string;
  strategy: string;
  members: AgentDef[];
  /** rrmemory: index of the next member to offer. */
  cursor: number;
}

export interface IvrDef {
  id: number;
  name: string;
  phone: string;
}

export interface Roster {
  agents: AgentDef[];
  queues: QueueDef[];
  ivrs: IvrDef[];
  account: { id: string; name: string };
}

const FIRST_NAMES = [
  'Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Sofia', 'Anders', 'Elin', 'Nils', 'Ingrid', 'Oskar',
  'Astrid', 'Mikael', 'Linnea', 'Gustav', 'Frida', 'Henrik', 'Maja', 'Per', 'Sara', 'Magnus', 'Ebba', 'Olof',
];
const LAST_NAMES = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson',
  'Gustafsson', 'Lindqvist', 'Bergström', 'Lundgren', 'Holm', 'Sjöberg', 'Åkesson', 'Ekström', 'Wallin',
];
const TIME_ZONES = ['Europe/Stockholm', 'Europe/Stockholm', 'Europe/Stockholm', 'Europe/Oslo', 'Europe/Helsinki', 'Europe/Madrid'];
const QUEUES: ReadonlyArray<[string, string]> = [
  ['Support', 'rrmemory'], ['Sales', 'ringall'], ['Billing', 'leastrecent'], ['Technical', 'rrmemory'],
  ['Returns', 'ringall'], ['Switchboard', 'linear'], ['Partners', 'random'], ['Enterprise', 'fewestcalls'],
];
const IVRS = ['Main menu', 'Opening hours', 'Language choice', 'Support menu'];
const ACCOUNTS = ['Nordvik Energi AB', 'Statistics Demo', 'Fjällbacka Fastigheter AB', 'Solvik Telecom AB'];

export function buildRoster(seed: number, agentCount = 12, queueCount = 4): Roster {
  // A separate stream from the journeys, so changing journey logic does not rename the staff.
  const rng = new Rng((seed ^ 0x5eed1e55) >>> 0);
  const agentsWanted = Math.max(2, Math.min(Math.trunc(agentCount) || 12, FIRST_NAMES.length * LAST_NAMES.length));
  const agents: AgentDef[] = [];
  const used = new Set<string>();
  while (agents.length < agentsWanted) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const name = `${first} ${last}`;
    if (used.has(name)) continue;
    used.add(name);
    agents.push({
      id: 39940 + agents.length, first, last, name, phone: `00468${rng.digits(7)}`,
      timeZone: rng.pick(TIME_ZONES), devices: rng.chance(0.25) ? 2 : 1,
    });
  }
  const queuesWanted = Math.max(1, Math.min(Math.trunc(queueCount) || 4, QUEUES.length));
  const queues: QueueDef[] = QUEUES.slice(0, queuesWanted).map(([name, strategy], i) => {
    // Each queue gets two to five members; ring-all queues stay small like real ones.
    const size = Math.min(agents.length, strategy === 'ringall' ? rng.int(2, 4) : rng.int(3, 5));
    const offset = rng.int(0, agents.length - 1);
    const members = Array.from({ length: size }, (_, k) => agents[(offset + k) % agents.length]);
    return { id: 6660 + i, name, phone: `004685055${rng.digits(3)}`, strategy, members, cursor: 0 };
  });
  const ivrs = IVRS.map((name, i) => ({ id: 29960 + i, name, phone: `004685050${rng.digits(3)}` }));
  return { agents, queues, ivrs, account: { id: String(285000 + rng.int(0, 999)), name: rng.pick(ACCOUNTS) } };
}
