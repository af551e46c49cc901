using Wp.Core.Config;

namespace Wp.Core.Hosting.Cli;

/// <summary>Paths as wproj shows them: relative to the work root with '/' when inside it, absolute otherwise.</summary>
internal static class DisplayPath
{
    public static string Of(WorkRoot root, string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(root.FullPath, full);
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return relative == "." ? "." : full;
        }

        return relative.Replace('\\', '/');
    }

    /// <summary>Replaces every occurrence of the work root's absolute path in a message with a relative form.</summary>
    public static string InMessage(WorkRoot root, string message)
    {
        var prefix = root.FullPath.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return message.Replace(prefix, string.Empty, StringComparison.Ordinal);
    }
}
