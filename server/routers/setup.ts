import { z } from "zod";
import { adminExists, createAdministrator } from "../auth/setup";
import { procedure, router } from "../trpc";

export const usernameSchema = z
  .string()
  .trim()
  .min(1, "Username is required")
  .max(64, "Username must be at most 64 characters")
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.@-]*$/, "Username may use letters, digits, and . _ @ - (starting with a letter or digit)");

export const createAdminInput = z
  .object({
    setupToken: z.string().trim().min(1, "Setup token is required"),
    username: usernameSchema,
    password: z.string().min(12, "Password must be at least 12 characters").max(256),
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, { message: "Passwords do not match", path: ["confirmPassword"] });

export const setupRouter = router({
  status: procedure("public.health").query(async () => ({ needsSetup: !(await adminExists()) })),
  createAdmin: procedure("setup.create-admin")
    .input(createAdminInput)
    .mutation(async ({ input, ctx }) => {
      ctx.audit.target = { type: "user", name: input.username };
      const user = await createAdministrator(input);
      ctx.audit.target = { type: "user", id: user.id, name: user.username };
      return user;
    }),
});
