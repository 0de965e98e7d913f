def summarize(*a, **k):
    raise NotImplementedError
