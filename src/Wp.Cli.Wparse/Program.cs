using Wp.Cli.Wparse;
using Wp.Core.Hosting.Cli;

return await CliHost.InvokeAsync(WparseCommands.Root(), args);
