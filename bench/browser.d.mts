// Types of bench/browser.mjs, for playwright.config.ts (which tsc checks under --strict).
export declare const NETWORKS: {
  none: null;
  slow4g: { offline: boolean; latency: number; downloadThroughput: number; uploadThroughput: number };
};
export declare const CHROMIUM_ARGS: string[];
export declare const PHONE: {
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  isMobile: boolean;
  hasTouch: boolean;
  userAgent: string;
};
