// File-local ids ('agent-0', 'block-1', …): one counter per kind, assigned in export order.
type FileIdKind = 'agent' | 'block' | 'tool' | 'message' | 'mcp_server' | 'group' | 'source' | 'file';

export type FileIdMap = {
  /** The file id of a database id, assigning the next one on first sight. */
  idFor(kind: FileIdKind, dbId: string): string;
  /** The file id of a database id already assigned, if any. */
  lookup(kind: FileIdKind, dbId: string): string | undefined;
};

export function createFileIdMap(): FileIdMap {
  const maps = new Map<FileIdKind, Map<string, string>>();
  const mapOf = (kind: FileIdKind) => {
    let m = maps.get(kind);
    if (!m) {
      m = new Map();
      maps.set(kind, m);
    }
    return m;
  };
  return {
    idFor(kind, dbId) {
      const m = mapOf(kind);
      let id = m.get(dbId);
      if (!id) {
        id = `${kind}-${m.size}`;
        m.set(dbId, id);
      }
      return id;
    },
    lookup: (kind, dbId) => mapOf(kind).get(dbId),
  };
}
