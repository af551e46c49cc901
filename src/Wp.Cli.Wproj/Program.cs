using System.CommandLine;
using Wp.Core.Hosting.Cli;

return await CliHost.InvokeAsync(new RootCommand("wproj — project tool: init, check, stat, validate (coming with the wproj issue)"), args);
