// OPFS sync access handles exist only in workers; the page's DOM typings lack
// them, yet the page type-checks the worker API it calls through Comlink.
interface FileSystemReadWriteOptions {
  at?: number;
}
interface FileSystemSyncAccessHandle {
  read(buffer: AllowSharedBufferSource, options?: FileSystemReadWriteOptions): number;
  write(buffer: AllowSharedBufferSource, options?: FileSystemReadWriteOptions): number;
  truncate(newSize: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}
interface FileSystemFileHandle {
  createSyncAccessHandle(): Promise<FileSystemSyncAccessHandle>;
}
