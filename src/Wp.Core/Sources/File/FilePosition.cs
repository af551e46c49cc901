using System.Globalization;
using System.Text;

namespace Wp.Core.Sources.Files;

/// <summary>
/// A file source's read position (SPEC §4.1): which file (<see cref="Identity"/>, and the path it
/// was read under), how many bytes of it are done and how many lines that was.
/// </summary>
internal readonly record struct FilePosition(string Path, FileIdentity Identity, long Offset, long Lines)
{
    private const string Header = "wp-pos 1";

    /// <summary>The text of a <c>.pos</c> file: a header line, then <c>key=value</c> lines.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("path=").Append(Path).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"dev={Identity.Device}\n");
        text.Append(CultureInfo.InvariantCulture, $"ino={Identity.Inode}\n");
        text.Append(CultureInfo.InvariantCulture, $"fp_len={Identity.FingerprintLength}\n");
        text.Append("fp=").Append(Identity.Fingerprint).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"offset={Offset}\n");
        text.Append(CultureInfo.InvariantCulture, $"lines={Lines}\n");
        return text.ToString();
    }

    /// <summary>Parses <see cref="Format"/>'s output; false (with the reason) for anything else. Does not throw.</summary>
    public static bool TryParse(string text, out FilePosition position, out string problem)
    {
        position = default;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0].Trim() != Header)
        {
            problem = $"first line is not '{Header}'";
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[line[..eq]] = line[(eq + 1)..];
            }
        }

        if (values.GetValueOrDefault("path") is not { Length: > 0 } path
            || !ulong.TryParse(values.GetValueOrDefault("dev"), NumberStyles.None, CultureInfo.InvariantCulture, out var dev)
            || !ulong.TryParse(values.GetValueOrDefault("ino"), NumberStyles.None, CultureInfo.InvariantCulture, out var ino)
            || !int.TryParse(values.GetValueOrDefault("fp_len"), NumberStyles.None, CultureInfo.InvariantCulture, out var fpLen)
            || fpLen > FileIdentity.MaxFingerprintBytes
            || values.GetValueOrDefault("fp") is not { Length: > 0 } fp
            || !long.TryParse(values.GetValueOrDefault("offset"), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || !long.TryParse(values.GetValueOrDefault("lines"), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            problem = "a field is missing or malformed (path, dev, ino, fp_len, fp, offset, lines)";
            return false;
        }

        position = new FilePosition(path, new FileIdentity(dev, ino, fpLen, fp), offset, count);
        problem = string.Empty;
        return true;
    }
}
