export declare const REQUIRED_FUSES: Record<string, boolean>;
export declare function fuseProblems(binary: string): Promise<string[]>;
export declare function writeDummyElectron(path: string): void;
