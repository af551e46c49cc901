using System.Globalization;
using System.Text.Json;
using Wp.Core.Config;
using Wp.Core.Expect;
using Wp.Core.Hosting;
using Wp.Core.Hosting.Cli;
using Wp.Core.Rescue;

namespace Wp.Core.Project;

/// <summary>The recovery checkpoint as <c>wproj rescue stat</c> reads it: absent, readable, or unreadable.</summary>
/// <param name="File">The rescue file being replayed, as written in recover.lock.</param>
/// <param name="Offset">Bytes of that file already delivered.</param>
/// <param name="Error">Why recover.lock could not be read; null when it could.</param>
internal sealed record CheckpointView(bool Present, string? File, long? Offset, string? Error)
{
    public static CheckpointView Absent { get; } = new(false, null, null, null);

    /// <summary>Lines of <see cref="File"/> already delivered, when recover.lock says (it always does when wprescue wrote it).</summary>
    public long? Lines { get; init; }

    /// <summary>
    /// Reads <c>recover.lock</c> as the JSON object <c>{"file": "...", "offset": N, "lines": N, ...}</c> (other members ignored).
    /// Anything else is reported as unreadable, never thrown (ARCHITECTURE practice 4).
    /// </summary>
    public static CheckpointView Read(string path)
    {
        string text;
        try
        {
            if (PlainFiles.KindOf(path) == EntryKind.Missing)
            {
                return Absent;
            }

            // Never through a symlink (recover.lock -> /dev/zero would never end): as wprescue reads it.
            using var stream = PlainFiles.OpenRegular(path, write: false, out var refused);
            if (stream is null)
            {
                return new CheckpointView(true, null, null, $"it is {refused}, not a regular file");
            }

            text = new StreamReader(stream).ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return Absent;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new CheckpointView(true, null, null, ex.Message);
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.String
                && root.TryGetProperty("offset", out var offset) && offset.TryGetInt64(out var bytes) && bytes >= 0)
            {
                return new CheckpointView(true, file.GetString(), bytes, null)
                {
                    Lines = root.TryGetProperty("lines", out var lines) && lines.TryGetInt64(out var n) && n >= 0 ? n : null,
                };
            }

            return new CheckpointView(true, null, null, "not a JSON object with \"file\" and \"offset\"");
        }
        catch (JsonException ex)
        {
            return new CheckpointView(true, null, null, $"not JSON: {ex.Message}");
        }
    }
}

/// <summary>
/// <c>wproj rescue stat</c> (SPEC §11): the rescue files of rescue_root — sealed, open, orphaned,
/// unroutable — with lines and bytes, and the recovery checkpoint position.
/// </summary>
internal static class RescueStat
{
    /// <exception cref="ConfigException">The configuration does not load (sink names are needed for routing).</exception>
    public static int Run(WorkRoot root, bool json, TextWriter output, ConsoleStyle style)
    {
        var config = ProjectLoader.Load(root);
        var rescueRoot = config.Engine.RescueRoot;
        var sinkNames = config.AllSinks.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var files = RescueFolder.Scan(rescueRoot, sinkNames);
        var checkpoint = CheckpointView.Read(Path.Combine(rescueRoot, RescueFolder.CheckpointFileName));
        if (json)
        {
            WriteJson(root, rescueRoot, files, checkpoint, output);
        }
        else
        {
            WriteText(root, rescueRoot, files, checkpoint, output, style);
        }

        return ExitCodes.Success;
    }

    public static string Word(RescueFileState state) => state switch
    {
        RescueFileState.Sealed => "sealed",
        RescueFileState.Open => "open",
        RescueFileState.Orphaned => "orphaned",
        _ => "unroutable",
    };

    private static void WriteText(
        WorkRoot root, string rescueRoot, IReadOnlyList<RescueFileEntry> files, CheckpointView checkpoint, TextWriter output, ConsoleStyle style)
    {
        output.WriteLine($"rescue_root: {DisplayPath.Of(root, rescueRoot)}");
        if (files.Count == 0)
        {
            output.WriteLine("no rescue files");
        }
        else
        {
            var table = new TextTable(
                new TableColumn("state"),
                new TableColumn("lines", AlignRight: true),
                new TableColumn("bytes", AlignRight: true),
                new TableColumn("file", Fit: Fit.PathLeft, MinWidth: 20));
            foreach (var f in files)
            {
                var tone = f.State switch
                {
                    RescueFileState.Open => Tone.Good,
                    RescueFileState.Orphaned => Tone.Warn,
                    RescueFileState.Unroutable => Tone.Bad,
                    _ => Tone.None,
                };
                table.Add(new TableCell(Word(f.State), tone), f.Lines is { } l ? Num(l) : "-", Num(f.Bytes), f.FileName);
            }

            table.AddRule();
            table.Add("total", Num(files.Sum(f => f.Lines ?? 0)), Num(files.Sum(f => f.Bytes)));
            table.Write(output, style);
            output.WriteLine(Summary(files));
            if (files.Any(f => f.Lines is null))
            {
                output.WriteLine("lines '-': the file is held by a live writer and cannot be read now");
            }

            foreach (var f in files.Where(f => f.Reason is not null))
            {
                foreach (var line in TextTable.Wrap($"unroutable {f.FileName}: {f.Reason}", style.Width))
                {
                    output.WriteLine(line);
                }
            }
        }

        output.WriteLine(checkpoint switch
        {
            { Present: false } => "checkpoint: none",
            { Error: { } error } => $"checkpoint: unreadable ({error})",
            _ => $"checkpoint: {Path.GetFileName(checkpoint.File)} at byte {checkpoint.Offset}"
                 + (FindFile(rescueRoot, checkpoint.File!) is { } size ? $" of {size}" : " (file no longer present)"),
        });
    }

    private static void WriteJson(WorkRoot root, string rescueRoot, IReadOnlyList<RescueFileEntry> files, CheckpointView checkpoint, TextWriter output) =>
        JsonOutput.Write(output, json =>
        {
            json.WriteStartObject();
            json.WriteString("work_root", root.FullPath);
            json.WriteString("rescue_root", DisplayPath.Of(root, rescueRoot));
            json.WriteStartArray("files");
            foreach (var f in files)
            {
                json.WriteStartObject();
                json.WriteString("file", f.FileName);
                json.WriteString("state", Word(f.State));
                json.StringOrNull("sink", f.Name?.SinkName);
                json.StringOrNull("time_utc", f.Name?.TimeUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.NumberOrNull("seq", f.Name?.Seq);
                json.NumberOrNull("lines", f.Lines);
                json.WriteNumber("bytes", f.Bytes);
                json.StringOrNull("reason", f.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("totals");
            json.WriteNumber("files", files.Count);
            json.WriteNumber("lines", files.Sum(f => f.Lines ?? 0));
            json.WriteNumber("bytes", files.Sum(f => f.Bytes));
            foreach (var state in Enum.GetValues<RescueFileState>())
            {
                json.WriteNumber(Word(state), files.Count(f => f.State == state));
            }

            json.WriteEndObject();
            if (!checkpoint.Present)
            {
                json.WriteNull("checkpoint");
            }
            else
            {
                json.WriteStartObject("checkpoint");
                json.WriteString("status", checkpoint.Error is null ? "ok" : "unreadable");
                json.StringOrNull("file", checkpoint.File);
                json.NumberOrNull("offset", checkpoint.Offset);
                json.NumberOrNull("file_bytes", checkpoint.File is null ? null : FindFile(rescueRoot, checkpoint.File));
                json.StringOrNull("error", checkpoint.Error);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        });

    /// <summary>Size of the checkpointed file (a bare name or a path; relative paths are taken inside rescue_root), or null when it is gone.</summary>
    private static long? FindFile(string rescueRoot, string file)
    {
        var path = Path.IsPathRooted(file) ? file : Path.Combine(rescueRoot, Path.GetFileName(file));
        var info = new FileInfo(path);
        return PlainFiles.KindOf(path) == EntryKind.Regular && info.Exists ? info.Length : null;
    }

    private static string Summary(IReadOnlyList<RescueFileEntry> files) =>
        $"{files.Count} file{(files.Count == 1 ? "" : "s")}: " + string.Join(", ",
            Enum.GetValues<RescueFileState>().Select(s => (s, n: files.Count(f => f.State == s))).Where(x => x.n > 0).Select(x => $"{x.n} {Word(x.s)}"));

    private static string Num(long value) => StatOutput.Number(value);
}
