namespace Wp.Core.Project;

/// <summary>The result of one <c>wproj check</c> item.</summary>
internal enum CheckResult
{
    Ok,

    /// <summary>Worth knowing, not an error (a data folder not created yet, a missing infra group).</summary>
    Warn,

    /// <summary>A problem: <c>wproj check</c> exits 4.</summary>
    Fail,
}

/// <summary>One row of the check table.</summary>
/// <param name="Item">A work-root-relative file or folder; for a problem <c>file:line[:col]</c>.</param>
internal sealed record CheckItem(string Item, CheckResult Result, string Detail);

/// <summary>Everything <c>wproj check</c> found, in the order it was checked.</summary>
internal sealed class CheckReport
{
    private readonly List<CheckItem> _items = [];

    public IReadOnlyList<CheckItem> Items => _items;

    public int Failures => _items.Count(i => i.Result == CheckResult.Fail);

    public int Warnings => _items.Count(i => i.Result == CheckResult.Warn);

    public void Add(string item, CheckResult result, string detail) => _items.Add(new CheckItem(item, result, detail));

    /// <summary><c>check: PASS (n items)</c>, with warnings counted; or <c>check: FAIL (n problems)</c>.</summary>
    public string Headline => Failures > 0
        ? $"check: FAIL ({Failures} problem{(Failures == 1 ? "" : "s")})"
        : $"check: PASS ({_items.Count} items{(Warnings > 0 ? $", {Warnings} warning{(Warnings == 1 ? "" : "s")}" : "")})";
}
