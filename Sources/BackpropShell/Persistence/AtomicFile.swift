import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a whole file so that it is never seen half-written: the bytes go to a
/// temporary file beside the target, are flushed to the disk (fsync), and the temporary
/// file is renamed over the target in one step. On any failure the temporary file is
/// removed and the target is left as it was.
enum AtomicFile {
    /// Writes `data` to `path`. `what` names the file in messages ("save", "plot").
    /// `mayReplace` decides whether an existing file may be overwritten, from its first
    /// bytes; it returns a reason when it may not.
    static func write(_ data: Data, to path: String, verb: String,
                      mayReplace: ((Data) -> String?)? = nil) throws(ShellError) {
        func failure(_ reason: String) -> ShellError {
            ShellError("cannot \(verb) \(path): \(reason)")
        }
        guard !path.isEmpty else { throw ShellError("\(verb) needs a file name") }
        let target = (path as NSString).expandingTildeInPath
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue { throw failure("it is a directory") }
        if target.hasSuffix("/") { throw failure("the name ends in '/': give a file name") }
        if exists {
            if let mayReplace, let handle = FileHandle(forReadingAtPath: target) {
                let head = (try? handle.read(upToCount: 512)) ?? Data()
                try? handle.close()
                if let reason = mayReplace(head) { throw failure(reason) }
            }
        }
        let directory = FilePath.directory(of: target)
        let dir = directory.isEmpty ? "." : directory
        var dirIsDirectory: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &dirIsDirectory) else {
            throw failure("the directory \(directory) does not exist")
        }
        guard dirIsDirectory.boolValue else { throw failure("\(directory) is not a directory") }

        let name = (target as NSString).lastPathComponent
        let temporary = (dir as NSString).appendingPathComponent(
            ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure(reason(errno, creating: true)) }
        var closed = false
        func discard() {
            if !closed { close(fd) }
            unlink(temporary)
        }
        // Keep the mode of a file being replaced.
        if let mode = (try? fm.attributesOfItem(atPath: target))?[.posixPermissions] as? Int {
            fchmod(fd, mode_t(mode))
        }
        let error: Int32? = data.withUnsafeBytes { raw -> Int32? in
            guard var p = raw.baseAddress else { return nil }
            var left = raw.count
            while left > 0 {
                let n = posixWrite(fd, p, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                p += n
                left -= n
            }
            return nil
        }
        if let error {
            discard()
            throw failure(reason(error, creating: false))
        }
        if fsync(fd) != 0 {
            let e = errno
            discard()
            throw failure(reason(e, creating: false))
        }
        closed = true
        if close(fd) != 0 {
            let e = errno
            unlink(temporary)
            throw failure(reason(e, creating: false))
        }
        if rename(temporary, target) != 0 {
            let e = errno
            unlink(temporary)
            throw failure(reason(e, creating: false))
        }
        // Make the rename itself durable.
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    /// Words for an errno.
    static func reason(_ code: Int32, creating: Bool) -> String {
        switch code {
        case EACCES, EPERM: return creating ? "permission denied (the directory cannot be written to)" : "permission denied"
        case EROFS: return "the file system is read-only"
        case ENOSPC: return "the disk is full"
        case EDQUOT: return "the disk quota is exceeded"
        case ENOENT: return "the directory does not exist"
        case ENOTDIR: return "a part of the path is not a directory"
        case EISDIR: return "it is a directory"
        case ENAMETOOLONG: return "the name is too long"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}

/// write(2), named apart from `AtomicFile.write`.
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, p, count)
    #elseif canImport(Musl)
    Musl.write(fd, p, count)
    #else
    Darwin.write(fd, p, count)
    #endif
}
