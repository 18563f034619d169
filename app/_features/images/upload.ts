"use client";
/**
 * Sends a file (or a body the page made) to one of the image routes with
 * XMLHttpRequest, whose upload events give the progress fetch() cannot, and
 * reads the JSON answer: the route's result, or `{error: {field, message}}`.
 */
export interface UploadProgress {
  loaded: number;
  total?: number;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface Upload<T> {
  done: Promise<T>;
  abort: () => void;
}

export function upload<T>(url: string, body: Blob | string, contentType: string, onProgress?: (p: UploadProgress) => void): Upload<T> {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", contentType);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => onProgress?.({ loaded: e.loaded, ...(e.lengthComputable ? { total: e.total } : {}) });
    xhr.onload = () => {
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = undefined;
      }
      const err = (json as { error?: { message?: string; field?: string } } | undefined)?.error;
      if (xhr.status >= 200 && xhr.status < 300 && json !== undefined && !err) return resolve(json as T);
      reject(new UploadError(err?.message ?? (xhr.responseText.slice(0, 500) || `the upload failed (HTTP ${xhr.status})`), err?.field, xhr.status));
    };
    xhr.onerror = () => reject(new UploadError("the upload failed: the connection to Berth was lost"));
    xhr.onabort = () => reject(new UploadError("the upload was cancelled"));
    xhr.send(body);
  });
  return { done, abort: () => xhr.abort() };
}

/** `/api/e/<env>/images/<op>?…` */
export function imagesUrl(env: string, op: "save" | "load" | "import" | "build", query?: URLSearchParams): string {
  const q = query?.toString();
  return `/api/e/${encodeURIComponent(env)}/images/${op}${q ? `?${q}` : ""}`;
}

/** `docker save a b` as a download link. */
export function saveUrl(env: string, names: string[]): string {
  return imagesUrl(env, "save", new URLSearchParams(names.map((n) => ["names", n])));
}
