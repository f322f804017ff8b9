"""Object storage on S3: org-scoped keys, presigned URLs, and checks of what was uploaded."""
