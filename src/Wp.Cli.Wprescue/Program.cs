using System.CommandLine;
using Wp.Core.Hosting.Cli;

return await CliHost.InvokeAsync(new RootCommand("wprescue — replay rescue files into the sinks they came from (coming with the recovery issue)"), args);
