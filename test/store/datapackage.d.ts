// The part of the Frictionless validator's API (datapackage 1.x, plain JS
// without typings) that release.test.ts uses.
declare module 'datapackage' {
  export class Resource {
    readonly name: string;
    read(opts?: { keyed?: boolean; relations?: boolean; cast?: boolean }): Promise<Record<string, unknown>[] & unknown[][]>;
  }
  export class Package {
    static load(descriptor: string | object, opts?: { basePath?: string; strict?: boolean }): Promise<Package>;
    readonly valid: boolean;
    readonly errors: Error[];
    readonly descriptor: Record<string, unknown>;
    readonly resources: Resource[];
    readonly resourceNames: string[];
    getResource(name: string): Resource;
  }
}
