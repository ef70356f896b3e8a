// Entry of dist/simulator.js, the simulator's own bundle: the extension requires it only when a demo starts
// (src/app/simulatorLoader.ts), so activation never parses the simulator.
export { SimulatorServer } from './server';
