using System.Runtime.InteropServices;

// Prints who and where it runs, so a test can tell the container's user and platform.
Console.WriteLine($"Hello from ConsoleApp in a container: user={Environment.UserName} os={RuntimeInformation.OSDescription.Split(' ')[0]} arch={RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()} cwd={Environment.CurrentDirectory}");
if (args.Length > 0)
{
    Console.WriteLine($"args: {string.Join(' ', args)}");
}
