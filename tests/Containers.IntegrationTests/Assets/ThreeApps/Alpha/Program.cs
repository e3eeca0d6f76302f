Console.WriteLine("Hello from Alpha in a container");
