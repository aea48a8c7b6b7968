"""The language of what cnncourse shows: tr() translates English labels and messages into
Chinese from the package's catalog (cnncourse/locale/).

May import: nothing of cnncourse. Compute returns English; the layers above translate.
"""
