import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnswerkeyError } from '../errors/answerkey-error.js';

/**
 * Kernel file systems (statfs f_type) that hold no folders of ours. On procfs, mkdir of a new
 * name fails with ENOENT although its parent exists, and Node's recursive mkdir then retries
 * forever: `--index-dir /proc/x` hung instead of failing.
 */
const KERNEL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
]);

/** The path itself when it exists, else the nearest folder above it that does. */
function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/** The kernel file system a folder would be created on, or undefined for an ordinary one. */
function kernelFileSystemOf(path: string): string | undefined {
  try {
    return KERNEL_FILE_SYSTEMS.get(statfsSync(nearestExisting(path)).type);
  } catch {
    return undefined;
  }
}

/** Refuses a folder setting the program would create folders or files in, when it lies on a kernel file system. */
export function assertOrdinaryFolder(path: string, setting: string): void {
  const fileSystem = kernelFileSystemOf(path);
  if (fileSystem === undefined) return;
  throw new AnswerkeyError(
    'invalid_setting',
    `invalid setting ${setting}: ${path} is on the kernel's ${fileSystem} file system, where no folder of ours can be created`,
    {
      hint: `set ${setting} to a folder on disk`,
    },
  );
}
