"""The live preview: hears saved files and rebuilds what changed."""
