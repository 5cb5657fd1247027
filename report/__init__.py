"""The research-report site generator: inputs -> analysis -> pages -> site, called by pipeline.py."""
