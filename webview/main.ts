// Timeline webview entry (placeholder until the timeline UI lands).
export {};
