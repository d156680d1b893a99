/// What Tab does to the line, worked out from the text before the cursor and the
/// session's completions (each a whole replacement for the last word).
enum Completion {
    struct Edit: Equatable {
        /// Characters (Unicode scalars, as libedit counts) to delete before the cursor.
        var deleteCount = 0
        /// Text to insert at the cursor.
        var insertion = ""
        /// The choices to list below the line when there are several.
        var choices: [String] = []

        var isEmpty: Bool { deleteCount == 0 && insertion.isEmpty && choices.isEmpty }
    }

    /// The word being completed: the text after the last space.
    static func lastWord(of line: String) -> Substring {
        guard let space = line.lastIndex(where: { $0 == " " || $0 == "\t" }) else { return line[...] }
        return line[line.index(after: space)...]
    }

    /// One candidate: the word becomes it, plus a space unless it is a directory
    /// (ends in /). Several: the word grows to their common prefix, and they are
    /// listed. None: nothing.
    static func edit(lineBeforeCursor line: String, candidates: [String]) -> Edit {
        var seen = Set<String>()
        let choices = candidates.filter { !$0.isEmpty && seen.insert($0).inserted }
        let word = String(lastWord(of: line))
        switch choices.count {
        case 0:
            return Edit()
        case 1:
            let choice = choices[0]
            return replacing(word, with: choice.hasSuffix("/") ? choice : choice + " ")
        default:
            let prefix = commonPrefix(choices)
            var edit = prefix.count > word.count ? replacing(word, with: prefix) : Edit()
            edit.choices = choices.map(shownName)
            return edit
        }
    }

    /// The shortest edit that turns `word` (just before the cursor) into `replacement`.
    private static func replacing(_ word: String, with replacement: String) -> Edit {
        if replacement.hasPrefix(word), replacement.unicodeScalars.starts(with: word.unicodeScalars) {
            return Edit(insertion: String(replacement.unicodeScalars.dropFirst(word.unicodeScalars.count)))
        }
        return Edit(deleteCount: word.unicodeScalars.count, insertion: replacement)
    }

    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first.map(Array.init) else { return "" }
        for string in strings.dropFirst() {
            let characters = Array(string)
            var length = 0
            while length < min(prefix.count, characters.count) && prefix[length] == characters[length] {
                length += 1
            }
            prefix.removeSubrange(length...)
        }
        return String(prefix)
    }

    /// A path is listed by its last component, as shells do: `Lessons/data/` as `data/`.
    static func shownName(_ choice: String) -> String {
        let isDirectory = choice.hasSuffix("/")
        let trimmed = isDirectory ? choice.dropLast() : choice[...]
        guard let slash = trimmed.lastIndex(of: "/") else { return choice }
        return String(trimmed[trimmed.index(after: slash)...]) + (isDirectory ? "/" : "")
    }

    /// The choices in columns down then across, like `ls`, within `width` characters.
    static func columns(_ choices: [String], width: Int) -> String {
        let cell = (choices.map(\.count).max() ?? 0) + 2
        let columnCount = max(1, min(choices.count, width / max(cell, 1)))
        let rowCount = (choices.count + columnCount - 1) / columnCount
        var lines: [String] = []
        for row in 0..<rowCount {
            var line = ""
            for column in 0..<columnCount {
                let index = column * rowCount + row
                guard index < choices.count else { break }
                let choice = choices[index]
                let isLast = column == columnCount - 1 || index + rowCount >= choices.count
                line += isLast ? choice : choice + String(repeating: " ", count: cell - choice.count)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
